// TextMate grammar tests.
//
// 1. Every test/grammar/*.wit file is tokenized; lines of the form
//        //   ^^^^ scope.one scope.two !scope.absent
//    are assertions about the nearest preceding source line (they are not tokenized themselves):
//    every character under a caret must carry each listed scope and none of the `!` ones.
//    `// <- scope` asserts about column 0. Each file must also end at the root rule.
// 2. Every .wit file of the real-world corpus (../shared/corpus/real beside the checkout)
//    must tokenize back to the root rule by end of file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXTENSION_ROOT, loadWitGrammar, splitLines, tokenizeLines, Token } from './textmate';

const ASSERTION = /^\s*\/\/\s*(\^+|<-)\s+(\S.*)$/;

interface Assertion {
  fileLine: number;
  sourceIndex: number;
  columns: number[];
  present: string[];
  absent: string[];
}

function parseCase(source: string): { lines: string[]; assertions: Assertion[]; fileLineOf: number[] } {
  const lines: string[] = [];
  const fileLineOf: number[] = [];
  const assertions: Assertion[] = [];
  splitLines(source).forEach((text, fileLine) => {
    const m = ASSERTION.exec(text);
    if (m && lines.length > 0) {
      const columns: number[] = [];
      if (m[1] === '<-') columns.push(0);
      else {
        const start = text.indexOf(m[1]);
        for (let c = start; c < start + m[1].length; c++) columns.push(c);
      }
      const words = m[2].trim().split(/\s+/);
      assertions.push({
        fileLine: fileLine + 1,
        sourceIndex: lines.length - 1,
        columns,
        present: words.filter((w) => !w.startsWith('!')),
        absent: words.filter((w) => w.startsWith('!')).map((w) => w.slice(1)),
      });
    } else {
      lines.push(text);
      fileLineOf.push(fileLine + 1);
    }
  });
  return { lines, assertions, fileLineOf };
}

function tokenAt(tokens: Token[], column: number): Token | undefined {
  return tokens.find((t) => t.startIndex <= column && column < t.endIndex);
}

const caseDir = path.join(EXTENSION_ROOT, 'test', 'grammar');
const caseFiles = fs.readdirSync(caseDir).filter((f) => f.endsWith('.wit')).sort();

for (const file of caseFiles) {
  test(`grammar: ${file}`, async () => {
    const grammar = await loadWitGrammar();
    const { lines, assertions, fileLineOf } = parseCase(fs.readFileSync(path.join(caseDir, file), 'utf8'));
    assert.ok(assertions.length > 0, `${file} has no assertions`);
    const result = tokenizeLines(grammar, lines);
    const failures: string[] = [];
    for (const a of assertions) {
      const src = lines[a.sourceIndex];
      for (const col of a.columns) {
        const tok = tokenAt(result.tokens[a.sourceIndex], col);
        const where = `${file}:${a.fileLine} (source line ${fileLineOf[a.sourceIndex]}, col ${col + 1} '${src[col] ?? ''}')`;
        if (!tok) {
          failures.push(`${where}: no token`);
          continue;
        }
        for (const s of a.present) {
          if (!tok.scopes.includes(s)) failures.push(`${where}: token '${tok.text}' lacks ${s}; has ${tok.scopes.join(' ')}`);
        }
        for (const s of a.absent) {
          if (tok.scopes.includes(s)) failures.push(`${where}: token '${tok.text}' must not have ${s}`);
        }
      }
    }
    assert.deepEqual(failures, [], `\n${failures.join('\n')}`);
    assert.equal(result.finalDepth, 1, `${file}: rule stack not back at the root at end of file`);
    assert.deepEqual(result.stoppedEarly, []);
    console.log(`# ${file}: ${assertions.length} assertions`);
  });
}

test('grammar: real-world corpus ends every file at the root rule', async (t) => {
  const corpus = path.resolve(EXTENSION_ROOT, '..', '..', 'shared', 'corpus', 'real');
  if (!fs.existsSync(corpus)) {
    const reason = `corpus not present at ${path.relative(process.cwd(), corpus)} (only in the development setup)`;
    console.log(`# SKIP: ${reason}`);
    t.skip(reason);
    return;
  }
  const grammar = await loadWitGrammar();
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.wit')) files.push(p);
    }
  };
  walk(corpus);
  const unclosed: string[] = [];
  for (const f of files) {
    const r = tokenizeLines(grammar, splitLines(fs.readFileSync(f, 'utf8')));
    if (r.finalDepth !== 1 || r.stoppedEarly.length > 0) {
      unclosed.push(`${path.relative(corpus, f)} (depth ${r.finalDepth}, stopped early at ${r.stoppedEarly.join(',') || '-'})`);
    }
  }
  console.log(`# corpus: tokenized ${files.length} .wit files, ${files.length - unclosed.length} ended at the root rule`);
  assert.ok(files.length > 0, 'no .wit files found in the corpus');
  assert.deepEqual(unclosed, []);
});
