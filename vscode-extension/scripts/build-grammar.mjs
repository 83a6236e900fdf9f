// Generates syntaxes/wit.tmLanguage.json from syntaxes/src/wit.tmLanguage.mjs.
// With --check, only verifies that the committed JSON is up to date (exit 1 otherwise).
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'syntaxes', 'wit.tmLanguage.json');
const { default: grammar } = await import('../syntaxes/src/wit.tmLanguage.mjs');

// Fail early on a regex that Oniguruma would reject: every pattern must at least be a string.
const walk = (node, where) => {
  if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${where}[${i}]`));
  if (node && typeof node === 'object') {
    for (const key of ['match', 'begin', 'end']) {
      if (key in node && typeof node[key] !== 'string') throw new Error(`${where}.${key} is not a string`);
    }
    for (const [k, v] of Object.entries(node)) walk(v, `${where}.${k}`);
  }
};
walk(grammar, 'grammar');

const text =
  JSON.stringify(
    { information_for_contributors: ['Generated from syntaxes/src/wit.tmLanguage.mjs by scripts/build-grammar.mjs; edit that file instead.'], ...grammar },
    null,
    2,
  ) + '\n';

if (process.argv.includes('--check')) {
  const current = existsSync(out) ? readFileSync(out, 'utf8') : '';
  if (current !== text) {
    console.error('syntaxes/wit.tmLanguage.json is out of date: run `npm run build:grammar`');
    process.exit(1);
  }
  console.log('syntaxes/wit.tmLanguage.json is up to date');
} else {
  writeFileSync(out, text);
  console.log(`wrote ${path.relative(root, out)}`);
}
