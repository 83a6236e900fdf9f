import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { configurationFor, normalizeLevel, readServerSettings, SERVER_SETTING_KEYS, toServerSettings } from '../src/settings';
import { EXTENSION_ROOT } from './textmate';

test('settings: defaults', () => {
  assert.deepEqual(toServerSettings(undefined), {
    features: [], allFeatures: false, readOutsideWorkspace: false,
    lint: { preset: 'recommended', rules: {} }, breaking: { against: '' }, codeLens: { references: true },
  });
  assert.deepEqual(toServerSettings({}), toServerSettings(null));
});

test('settings: nested shape as getConfiguration("wit") returns it', () => {
  const raw = {
    features: ['clocks-timezone', ' fs-extra ', '', 'clocks-timezone', 7],
    allFeatures: true,
    readOutsideWorkspace: true,
    lint: { preset: 'WASI', rules: { 'naming-convention': 'warning', 'unused-import': 'off', 'bad-rule': 'loud', 'doc-missing': 'hint' } },
    breaking: { against: ' origin/main ' },
    codeLens: { references: false },
    server: { path: 'ignored' },
    trace: { server: 'verbose' },
  };
  assert.deepEqual(toServerSettings(raw), {
    features: ['clocks-timezone', 'fs-extra'],
    allFeatures: true,
    readOutsideWorkspace: true,
    lint: { preset: 'wasi', rules: { 'doc-missing': 'hint', 'naming-convention': 'warn', 'unused-import': 'off' } },
    breaking: { against: 'origin/main' },
    codeLens: { references: false },
  });
});

test('settings: flat dotted keys work too', () => {
  assert.deepEqual(toServerSettings({ 'lint.preset': 'strict', 'lint.rules': { x: 'error' }, features: 'a, b', 'breaking.against': 'HEAD~3' }), {
    features: ['a', 'b'],
    allFeatures: false,
    readOutsideWorkspace: false,
    lint: { preset: 'strict', rules: { x: 'error' } },
    breaking: { against: 'HEAD~3' },
    codeLens: { references: true },
  });
});

test('settings: invalid values fall back', () => {
  assert.deepEqual(toServerSettings({ allFeatures: 'yes', readOutsideWorkspace: 'true', lint: { preset: 'pedantic', rules: ['x'] }, features: { a: 1 }, breaking: { against: 3 } }), {
    features: [],
    allFeatures: false,
    readOutsideWorkspace: false,
    lint: { preset: 'recommended', rules: {} },
    breaking: { against: '' },
    codeLens: { references: true },
  });
  assert.deepEqual(toServerSettings({ breaking: 'HEAD' }).breaking, { against: '' });
  assert.deepEqual(toServerSettings({ 'codeLens.references': 'no' }).codeLens, { references: true });
});

test('settings: every preset and level is accepted', () => {
  for (const p of ['minimal', 'recommended', 'strict', 'wasi']) assert.equal(toServerSettings({ lint: { preset: p } }).lint.preset, p);
  for (const l of ['error', 'warn', 'info', 'hint', 'off']) assert.equal(normalizeLevel(l), l);
  assert.equal(normalizeLevel('Information'), 'info');
  assert.equal(normalizeLevel(3), undefined);
});

test('settings: workspace/configuration answers', () => {
  const raw = { features: ['x'], lint: { preset: 'strict', rules: { r: 'info' } }, breaking: { against: 'v0.2.0' }, readOutsideWorkspace: true };
  assert.deepEqual(configurationFor('wit', raw), toServerSettings(raw));
  assert.deepEqual(configurationFor('wit.breaking', raw), { against: 'v0.2.0' });
  assert.equal(configurationFor('wit.breaking.against', raw), 'v0.2.0');
  assert.equal(configurationFor('wit.readOutsideWorkspace', raw), true);
  assert.deepEqual(configurationFor(undefined, raw), toServerSettings(raw));
  assert.deepEqual(configurationFor('wit.lint', raw), { preset: 'strict', rules: { r: 'info' } });
  assert.deepEqual(configurationFor('wit.features', raw), ['x']);
  assert.equal(configurationFor('wit.nope', raw), null);
  assert.equal(configurationFor('editor', raw), null);
});

test('settings: the JSON round-trips', () => {
  const s = toServerSettings({ features: ['a'], allFeatures: true, readOutsideWorkspace: true, lint: { preset: 'minimal', rules: { b: 'error' } }, breaking: { against: 'HEAD' } });
  assert.deepEqual(JSON.parse(JSON.stringify(s)), s);
});

test('settings: every declared setting but the client\'s own is read and sent to the server', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(EXTENSION_ROOT, 'package.json'), 'utf8'));
  const declared = Object.keys(pkg.contributes.configuration.properties)
    .map((k) => k.replace(/^wit\./, ''))
    .filter((k) => !k.startsWith('server.') && !k.startsWith('trace.'));
  assert.deepEqual([...SERVER_SETTING_KEYS].sort(), declared.sort());
  // As VS Code's WorkspaceConfiguration answers `get('lint.preset')` and the like.
  const values: Record<string, unknown> = {
    features: ['f'], allFeatures: true, readOutsideWorkspace: true, 'lint.preset': 'strict',
    'lint.rules': { r: 'off' }, 'breaking.against': 'HEAD', 'codeLens.references': false,
  };
  assert.deepEqual(toServerSettings(readServerSettings((key) => values[key])), {
    features: ['f'], allFeatures: true, readOutsideWorkspace: true,
    lint: { preset: 'strict', rules: { r: 'off' } }, breaking: { against: 'HEAD' },
    codeLens: { references: false },
  });
});
