// Copies the Mermaid browser bundle (a devDependency) into dist/, where the world graph webview
// loads it from: the .vsix carries it, and nothing is fetched from the network at run time.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const pkgDir = path.dirname(require.resolve('mermaid/package.json'));
const bundle = path.join(pkgDir, 'dist', 'mermaid.min.js');
if (!existsSync(bundle)) {
  console.error(`mermaid bundle not found at ${bundle}`);
  process.exit(1);
}
mkdirSync(path.join(root, 'dist'), { recursive: true });
copyFileSync(bundle, path.join(root, 'dist', 'mermaid.min.js'));
copyFileSync(path.join(pkgDir, 'LICENSE'), path.join(root, 'dist', 'mermaid.LICENSE.txt'));
console.log(`copied mermaid ${require('mermaid/package.json').version} to dist/`);
