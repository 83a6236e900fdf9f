// Where the "World graph" code lens goes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskComments, worldLenses } from '../src/worldLens';

test('worldLens: one lens per world declaration, at the keyword', () => {
  const text = [
    'package a:b@1.0.0;',
    '/// A world { in a doc comment',
    '@since(version = 1.0.0)',
    'world proxy {',
    '  include imports;',
    '}',
    '/* world hidden { /* nested */ } */',
    'world %interface{}',
    'interface world-ish { x: func(); }',
    'package c:d { world inner { } }',
  ].join('\n');
  const found = worldLenses(text);
  assert.deepEqual(found.map((w) => w.name), ['proxy', 'interface', 'inner']);
  for (const w of found) assert.equal(text.slice(w.offset, w.offset + 5), 'world');
});

test('worldLens: masking keeps offsets', () => {
  const text = 'a // c\n/* x /* y */ z */ "s\\"t" b';
  const masked = maskComments(text);
  assert.equal(masked.length, text.length);
  assert.equal(masked.replace(/\s+/g, ' ').trim(), 'a b');
});
