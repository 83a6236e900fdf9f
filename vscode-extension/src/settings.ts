// Translating the `wit.*` settings into the settings object the server understands.
// No `vscode` import: unit tested on plain objects.
//
// Server settings (sent as `initializationOptions` and as the answer to
// `workspace/configuration` for section `wit`):
//   { "features": string[], "allFeatures": boolean, "readOutsideWorkspace": boolean,
//     "lint": { "preset": string, "rules": { rule: level } }, "breaking": { "against": string },
//     "codeLens": { "references": boolean } }

export const LINT_PRESETS = ['minimal', 'recommended', 'strict', 'wasi'] as const;
export type LintPreset = (typeof LINT_PRESETS)[number];

export const LINT_LEVELS = ['error', 'warn', 'info', 'hint', 'off'] as const;
export type LintLevel = (typeof LINT_LEVELS)[number];

export const DEFAULT_PRESET: LintPreset = 'recommended';

export interface ServerSettings {
  features: string[];
  allFeatures: boolean;
  readOutsideWorkspace: boolean;
  lint: { preset: LintPreset; rules: Record<string, LintLevel> };
  /** `against`: a git revision or a folder; empty means no comparison (or the config file's). */
  breaking: { against: string };
  /** `references`: the usage code lenses over interfaces and types (on unless false). */
  codeLens: { references: boolean };
}

/** Common spellings people type for levels, mapped onto the server's names. */
const LEVEL_ALIASES: Record<string, LintLevel> = {
  error: 'error',
  deny: 'error',
  warn: 'warn',
  warning: 'warn',
  info: 'info',
  information: 'info',
  hint: 'hint',
  off: 'off',
  none: 'off',
  allow: 'off',
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Reads a setting given either nested (`{lint: {preset}}`, as `getConfiguration('wit')` returns it)
 * or flat with dotted keys (`{'lint.preset': ..}`).
 */
function pick(raw: Record<string, unknown>, dotted: string): unknown {
  if (dotted in raw) return raw[dotted];
  let cur: unknown = raw;
  for (const part of dotted.split('.')) {
    if (!isRecord(cur) || !(part in cur)) return undefined;
    cur = cur[part];
  }
  return cur;
}

export function normalizeFeatures(value: unknown): string[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  const out: string[] = [];
  for (const item of list) {
    if (typeof item !== 'string') continue;
    const f = item.trim();
    if (f && !out.includes(f)) out.push(f);
  }
  return out;
}

export function normalizePreset(value: unknown): LintPreset {
  const v = typeof value === 'string' ? value.trim().toLowerCase() : '';
  return (LINT_PRESETS as readonly string[]).includes(v) ? (v as LintPreset) : DEFAULT_PRESET;
}

export function normalizeLevel(value: unknown): LintLevel | undefined {
  if (typeof value !== 'string') return undefined;
  return LEVEL_ALIASES[value.trim().toLowerCase()];
}

/** A git revision or folder as typed, trimmed; anything that is not a string is empty. */
export function normalizeAgainst(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

export function normalizeRules(value: unknown): Record<string, LintLevel> {
  const out: Record<string, LintLevel> = {};
  if (!isRecord(value)) return out;
  for (const key of Object.keys(value).sort()) {
    const rule = key.trim();
    const level = normalizeLevel(value[key]);
    if (rule && level) out[rule] = level;
  }
  return out;
}

/** The `wit.*` settings (without the `wit.` prefix) that go to the server. */
export const SERVER_SETTING_KEYS = [
  'features', 'allFeatures', 'readOutsideWorkspace', 'lint.preset', 'lint.rules', 'breaking.against',
  'codeLens.references',
] as const;

/** The raw server settings, one dotted key each, read with `get` (`getConfiguration('wit').get`). */
export function readServerSettings(get: (key: string) => unknown): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const key of SERVER_SETTING_KEYS) raw[key] = get(key);
  return raw;
}

/** The pure translation: `wit` settings (as the editor has them) -> the server's settings JSON. */
export function toServerSettings(raw: unknown): ServerSettings {
  const r = isRecord(raw) ? raw : {};
  return {
    features: normalizeFeatures(pick(r, 'features')),
    allFeatures: pick(r, 'allFeatures') === true,
    readOutsideWorkspace: pick(r, 'readOutsideWorkspace') === true,
    lint: {
      preset: normalizePreset(pick(r, 'lint.preset')),
      rules: normalizeRules(pick(r, 'lint.rules')),
    },
    breaking: { against: normalizeAgainst(pick(r, 'breaking.against')) },
    codeLens: { references: pick(r, 'codeLens.references') !== false },
  };
}

/**
 * Answers one `workspace/configuration` item. The server asks for section `wit`; a request for a
 * part (`wit.lint`) gets that part, anything else gets null (meaning: not ours).
 */
export function configurationFor(section: string | undefined, raw: unknown): unknown {
  const settings = toServerSettings(raw);
  if (section === undefined || section === '' || section === 'wit') return settings;
  if (!section.startsWith('wit.')) return null;
  let cur: unknown = settings;
  for (const part of section.slice(4).split('.')) {
    if (!isRecord(cur) || !(part in cur)) return null;
    cur = cur[part];
  }
  return cur;
}

/** Settings whose change needs a new server process rather than a configuration notification. */
export const RESTART_SETTINGS = ['wit.server.path', 'wit.server.args', 'wit.server.python'];
