// Where the "World graph" code lens goes: each `world name {` declaration of a WIT text.
// Pure (no vscode import) so that it is unit-tested with node --test.

export interface WorldDecl {
  name: string;
  /** UTF-16 offset of the `world` keyword. */
  offset: number;
}

const WORLD = /(^|[\s;{}])world\s+(%?[A-Za-z][A-Za-z0-9-]*)\s*\{/g;

/** Every `world` declaration outside comments and strings. */
export function worldLenses(text: string): WorldDecl[] {
  const masked = maskComments(text);
  const out: WorldDecl[] = [];
  for (const m of masked.matchAll(WORLD)) {
    const offset = (m.index ?? 0) + m[1].length;
    out.push({ name: m[2].replace(/^%/, ''), offset });
  }
  return out;
}

/** `text` with comments and string literals replaced by spaces (same length). */
export function maskComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('//', i)) {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (text.startsWith('/*', i)) {
      let depth = 0;
      let j = i;
      while (j < text.length) {
        if (text.startsWith('/*', j)) { depth++; j += 2; }
        else if (text.startsWith('*/', j)) { depth--; j += 2; if (depth === 0) break; }
        else j++;
      }
      out += text.slice(i, j).replace(/[^\n]/g, ' ');
      i = j;
    } else if (text[i] === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"' && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      j = Math.min(j + 1, text.length);
      out += ' '.repeat(j - i);
      i = j;
    } else {
      out += text[i];
      i++;
    }
  }
  return out;
}
