// The arguments of the usage lenses' `wit.showReferences` command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseShowReferences } from '../src/references';

const RANGE = { start: { line: 4, character: 6 }, end: { line: 4, character: 11 } };

test('references: the arguments the server sends are read', () => {
  const args = ['file:///w/types.wit', { line: 2, character: 10 }, [{ uri: 'file:///w/api.wit', range: RANGE }]];
  assert.deepEqual(parseShowReferences(args), {
    uri: 'file:///w/types.wit',
    position: { line: 2, character: 10 },
    locations: [{ uri: 'file:///w/api.wit', start: RANGE.start, end: RANGE.end }],
  });
  assert.deepEqual(parseShowReferences(['file:///w/t.wit', { line: 0, character: 0 }, []])?.locations, []);
});

test('references: anything else is refused', () => {
  assert.equal(parseShowReferences([]), undefined);
  assert.equal(parseShowReferences(['file:///w/t.wit', { line: -1, character: 0 }, []]), undefined);
  assert.equal(parseShowReferences(['file:///w/t.wit', { line: 1, character: 0 }, {}]), undefined);
  assert.equal(parseShowReferences([3, { line: 1, character: 0 }, []]), undefined);
  assert.equal(parseShowReferences(['file:///w/t.wit', { line: 1, character: 0 }, [{ uri: 'x', range: { start: RANGE.start } }]]), undefined);
});
