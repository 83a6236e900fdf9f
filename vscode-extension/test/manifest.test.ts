// Checks on package.json, language-configuration.json and the snippets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXTENSION_ROOT } from './textmate';

const read = (f: string) => JSON.parse(fs.readFileSync(path.join(EXTENSION_ROOT, f), 'utf8'));
const pkg = read('package.json');

test('manifest: settings, commands and engine', () => {
  const props = Object.keys(pkg.contributes.configuration.properties).sort();
  assert.deepEqual(props, [
    'wit.allFeatures', 'wit.breaking.against', 'wit.codeLens.references', 'wit.features', 'wit.lint.preset', 'wit.lint.rules',
    'wit.readOutsideWorkspace', 'wit.server.args', 'wit.server.path', 'wit.server.python', 'wit.trace.server',
  ]);
  assert.deepEqual(pkg.contributes.configuration.properties['wit.lint.preset'].enum, ['minimal', 'recommended', 'strict', 'wasi']);
  const commands = pkg.contributes.commands.map((c: { command: string }) => c.command);
  for (const c of ['wit.restartServer', 'wit.showOutput', 'wit.showSyntaxTree', 'wit.showElaboratedWorld', 'wit.showWorldGraph']) assert.ok(commands.includes(c), c);
  assert.equal(pkg.engines.vscode, '^1.82.0');
  assert.equal(pkg.dependencies['vscode-languageclient'], '9.0.1');
  const props0 = pkg.contributes.configuration.properties;
  assert.equal(props0['wit.breaking.against'].type, 'string');
  assert.equal(props0['wit.breaking.against'].default, '');
  assert.match(props0['wit.breaking.against'].markdownDescription, /git revision/);
  assert.match(props0['wit.breaking.against'].markdownDescription, /folder/);
  assert.equal(props0['wit.readOutsideWorkspace'].type, 'boolean');
  assert.equal(props0['wit.readOutsideWorkspace'].default, false);
  assert.match(props0['wit.readOutsideWorkspace'].markdownDescription, /outside the workspace/);
  for (const k of ['publisher', 'repository', 'license', 'categories', 'keywords', 'icon']) assert.ok(pkg[k], k);
  assert.ok(fs.existsSync(path.join(EXTENSION_ROOT, pkg.icon)));
});

test('manifest: semanticTokenScopes cover the standard types and modifiers', () => {
  const scopes = pkg.contributes.semanticTokenScopes[0].scopes;
  const types = ['namespace', 'type', 'interface', 'struct', 'enum', 'enumMember', 'function', 'method', 'parameter',
    'property', 'keyword', 'comment', 'string', 'number', 'decorator', 'typeParameter'];
  for (const t of types) assert.ok(scopes[t], t);
  for (const m of ['declaration', 'documentation', 'deprecated', 'defaultLibrary']) {
    assert.ok(Object.keys(scopes).some((k) => k.split('.').slice(1).includes(m)), m);
  }
});

test('language configuration: wordPattern keeps kebab-case and %names whole', () => {
  const conf = read('language-configuration.json');
  const re = new RegExp(conf.wordPattern, 'g');
  assert.deepEqual('use wasi:io/streams@0.2.0.{input-stream as %type};'.match(re), ['use', 'wasi', 'io', 'streams', '0.2.0', 'input-stream', 'as', '%type']);
  assert.ok(conf.onEnterRules.some((r: { action: { appendText?: string } }) => r.action.appendText === '/// '));
  assert.deepEqual(conf.comments, { lineComment: '//', blockComment: ['/*', '*/'] });
});

test('snippets: the basic ones exist and have bodies', () => {
  const snippets = read('snippets/wit.json');
  const prefixes = Object.values(snippets).map((s) => (s as { prefix: string }).prefix);
  for (const p of ['package', 'interface', 'world', 'record', 'variant', 'enum', 'flags', 'resource', 'func', 'use', 'import', 'export', 'include']) {
    assert.ok(prefixes.includes(p), p);
  }
});

test('manifest: the world graph view ships Mermaid and its own script in the .vsix', () => {
  const ignore = fs.readFileSync(path.join(EXTENSION_ROOT, '.vscodeignore'), 'utf8').split(/\r?\n/);
  for (const f of ['dist/mermaid.min.js', 'dist/mermaid.LICENSE.txt', 'media/worldGraph.js', 'media/worldGraph.css']) {
    assert.ok(ignore.includes(`!${f}`), `.vscodeignore keeps ${f}`);
    if (!f.startsWith('dist/')) assert.ok(fs.existsSync(path.join(EXTENSION_ROOT, f)), f);
  }
  assert.equal(pkg.devDependencies.mermaid, '12.3.0');
  assert.match(pkg.scripts.build, /build:mermaid/);
  const title = pkg.contributes.commands.find((c: { command: string }) => c.command === 'wit.showWorldGraph');
  assert.equal(`${title.category}: ${title.title}`, 'WIT: Show World Graph');
});

test('manifest: server settings are read from user settings in remote windows, and guarded in Restricted Mode', () => {
  const props = pkg.contributes.configuration.properties;
  const server = ['wit.server.path', 'wit.server.args', 'wit.server.python'];
  // `machine` / `machine-overridable` settings are ignored in a remote window's user settings.
  for (const key of server) assert.equal(props[key].scope, 'window', key);
  const untrusted = pkg.capabilities.untrustedWorkspaces;
  assert.equal(untrusted.supported, 'limited');
  // What the server runs, what it may read outside the workspace, and which older version
  // (a folder anywhere, or git run on the workspace's repository) it compares with.
  const guarded = [...server, 'wit.readOutsideWorkspace', 'wit.breaking.against'];
  assert.deepEqual([...untrusted.restrictedConfigurations].sort(), [...guarded].sort());
});

test('manifest: the bundled server wheels are packaged, nothing else from server/', () => {
  const ignore = fs.readFileSync(path.join(EXTENSION_ROOT, '.vscodeignore'), 'utf8').split('\n');
  assert.ok(ignore.includes('**'), 'the .vscodeignore is an allow-list');
  assert.ok(ignore.includes('!server/wheels/*.whl'));
});
