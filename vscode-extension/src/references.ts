// The arguments of `wit.showReferences`, the command the server's usage code lenses run
// ("imported by 2 worlds", "4 references"): the document's URI, the position of the name and
// the references as LSP locations, all plain JSON. Checked here without a `vscode` import (unit
// tested with node --test); the extension turns them into `editor.action.showReferences`.

export interface PlainPosition {
  line: number;
  character: number;
}

export interface PlainLocation {
  uri: string;
  start: PlainPosition;
  end: PlainPosition;
}

export interface ShowReferences {
  uri: string;
  position: PlainPosition;
  locations: PlainLocation[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function position(v: unknown): PlainPosition | undefined {
  if (!isRecord(v)) return undefined;
  const { line, character } = v;
  if (!Number.isInteger(line) || !Number.isInteger(character)) return undefined;
  if ((line as number) < 0 || (character as number) < 0) return undefined;
  return { line: line as number, character: character as number };
}

/** The command's arguments, or undefined when they are not what the server sends. */
export function parseShowReferences(args: unknown[]): ShowReferences | undefined {
  const [uri, at, locations] = args;
  const where = position(at);
  if (typeof uri !== 'string' || where === undefined || !Array.isArray(locations)) return undefined;
  const out: PlainLocation[] = [];
  for (const loc of locations) {
    if (!isRecord(loc) || typeof loc.uri !== 'string' || !isRecord(loc.range)) return undefined;
    const start = position(loc.range.start);
    const end = position(loc.range.end);
    if (start === undefined || end === undefined) return undefined;
    out.push({ uri: loc.uri, start, end });
  }
  return { uri, position: where, locations: out };
}
