// Loads the WIT grammar into vscode-textmate with the Oniguruma wasm from node_modules.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';

/** The extension folder (this file runs from out/test/). */
export const EXTENSION_ROOT = path.resolve(__dirname, '..', '..');

let registryPromise: Promise<vsctm.IGrammar> | undefined;

export function loadWitGrammar(): Promise<vsctm.IGrammar> {
  registryPromise ??= (async () => {
    const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new vsctm.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
        createOnigString: (s: string) => new oniguruma.OnigString(s),
      }),
      loadGrammar: async (scopeName: string) => {
        if (scopeName !== 'source.wit') return null;
        const file = path.join(EXTENSION_ROOT, 'syntaxes', 'wit.tmLanguage.json');
        return vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
      },
    });
    const grammar = await registry.loadGrammar('source.wit');
    if (!grammar) throw new Error('could not load source.wit');
    return grammar;
  })();
  return registryPromise;
}

export interface Token {
  line: number;
  startIndex: number;
  endIndex: number;
  text: string;
  scopes: string[];
}

export interface Tokenized {
  tokens: Token[][];
  /** Depth of the rule stack after the last line; 1 means back at the root rule. */
  finalDepth: number;
  /** Lines where vscode-textmate gave up early (time limit). */
  stoppedEarly: number[];
}

export function tokenizeLines(grammar: vsctm.IGrammar, lines: string[]): Tokenized {
  let state: vsctm.StateStack = vsctm.INITIAL;
  const tokens: Token[][] = [];
  const stoppedEarly: number[] = [];
  lines.forEach((text, line) => {
    const r = grammar.tokenizeLine(text, state, 5000);
    if (r.stoppedEarly) stoppedEarly.push(line);
    tokens.push(
      r.tokens.map((t) => ({
        line,
        startIndex: t.startIndex,
        endIndex: Math.min(t.endIndex, text.length),
        text: text.slice(t.startIndex, t.endIndex),
        scopes: t.scopes,
      })),
    );
    state = r.ruleStack;
  });
  return { tokens, finalDepth: (state as unknown as { depth: number }).depth, stoppedEarly };
}

export function splitLines(source: string): string[] {
  return source.replace(/^\uFEFF/, '').split(/\r?\n/);
}
