// Finding the wit-ls language server. No `vscode` import: everything the logic needs from the
// outside world (settings, PATH lookup, running a probe) is passed in, so it is unit tested.
//
// Order:
//   1. the `wit.server.path` setting (a command, with `wit.server.args`) — used as given, no fallback;
//   2. a `wit-ls` executable on PATH;
//   3. `python -m wit_ls serve` with, in turn, the `wit.server.python` setting, the Python
//      extension's active interpreter, the private environment this extension can create under its
//      global storage, and finally `python3` / `python` on PATH.

import * as path from 'node:path';

export interface ServerCommand {
  command: string;
  args: string[];
}

export type CandidateSource =
  | 'setting:wit.server.path'
  | 'PATH'
  | 'setting:wit.server.python'
  | 'python-extension'
  | 'private-environment'
  | 'python-on-PATH';

export interface Candidate extends ServerCommand {
  source: CandidateSource;
  /** How to check that the candidate works: run this and expect exit code 0 (prints the version). */
  probe: ServerCommand;
  /** A human-readable description for the output channel and error messages. */
  describe: string;
}

export interface DiscoveryInput {
  serverPath?: string;
  serverArgs?: string[];
  pythonSetting?: string;
  /** The Python extension's active interpreter, when that extension is installed. */
  pythonExtensionInterpreter?: string;
  /** Directory of the private virtual environment (under the extension's global storage). */
  privateEnvDir?: string;
  platform: NodeJS.Platform;
  /** Returns the full path of an executable found on PATH, or undefined. */
  which: (name: string) => string | undefined;
  /** Whether a file exists (used for the private environment's interpreter). */
  exists: (file: string) => boolean;
}

export const SERVE_ARGS = ['serve'];
export const MODULE_ARGS = ['-m', 'wit_ls'];

/** The interpreter inside a virtual environment directory. */
export function venvPython(envDir: string, platform: NodeJS.Platform): string {
  return platform === 'win32' ? path.win32.join(envDir, 'Scripts', 'python.exe') : path.posix.join(envDir, 'bin', 'python');
}

function clean(s: string | undefined): string | undefined {
  const t = s?.trim();
  return t ? t : undefined;
}

/** Every way of starting the server, best first. Pure apart from the injected `which`/`exists`. */
export function serverCandidates(input: DiscoveryInput): Candidate[] {
  const serverPath = clean(input.serverPath);
  if (serverPath) {
    const args = input.serverArgs && input.serverArgs.length > 0 ? [...input.serverArgs] : [...SERVE_ARGS];
    // An explicit setting wins outright: falling back silently would hide a misconfiguration.
    return [
      {
        source: 'setting:wit.server.path',
        command: serverPath,
        args,
        probe: { command: serverPath, args: ['--version'] },
        describe: `${serverPath} ${args.join(' ')} (setting wit.server.path)`,
      },
    ];
  }

  const out: Candidate[] = [];
  const onPath = input.which(input.platform === 'win32' ? 'wit-ls.exe' : 'wit-ls') ?? (input.platform === 'win32' ? input.which('wit-ls') : undefined);
  if (onPath) {
    out.push({
      source: 'PATH',
      command: onPath,
      args: [...SERVE_ARGS],
      probe: { command: onPath, args: ['--version'] },
      describe: `${onPath} serve (wit-ls on PATH)`,
    });
  }

  const seen = new Set<string>();
  const addPython = (python: string | undefined, source: CandidateSource, why: string) => {
    const py = clean(python);
    if (!py || seen.has(py)) return;
    seen.add(py);
    out.push({
      source,
      command: py,
      args: [...MODULE_ARGS, ...SERVE_ARGS],
      probe: { command: py, args: [...MODULE_ARGS, '--version'] },
      describe: `${py} -m wit_ls serve (${why})`,
    });
  };
  addPython(input.pythonSetting, 'setting:wit.server.python', 'setting wit.server.python');
  addPython(input.pythonExtensionInterpreter, 'python-extension', 'Python extension interpreter');
  if (input.privateEnvDir) {
    const py = venvPython(input.privateEnvDir, input.platform);
    if (input.exists(py)) addPython(py, 'private-environment', 'private environment');
  }
  for (const name of input.platform === 'win32' ? ['python.exe', 'py.exe'] : ['python3', 'python']) {
    const found = input.which(name);
    if (found) addPython(found, 'python-on-PATH', `${name} on PATH`);
  }
  return out;
}

export interface ProbeResult {
  ok: boolean;
  /** stdout of the probe, e.g. "wit-ls 0.1.0". */
  output?: string;
  error?: string;
}

export interface Resolution {
  found?: Candidate & { version?: string };
  /** What was tried and why it failed, for the output channel. */
  tried: { candidate: Candidate; error: string }[];
}

/** Pulls a version number out of `--version` output ("wit-ls 0.1.0" -> "0.1.0"). */
export function parseVersion(output: string | undefined): string | undefined {
  const m = /(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?)/.exec(output ?? '');
  return m?.[1];
}

/**
 * Tries the candidates in order with `probe` and returns the first that works.
 * The explicit `wit.server.path` setting is returned even when its probe fails (the user asked
 * for that command; starting it will show the real error).
 */
export async function resolveServer(
  candidates: Candidate[],
  probe: (cmd: ServerCommand) => Promise<ProbeResult>,
): Promise<Resolution> {
  const tried: Resolution['tried'] = [];
  for (const c of candidates) {
    const r = await probe(c.probe);
    if (r.ok) return { found: { ...c, version: parseVersion(r.output) }, tried };
    if (c.source === 'setting:wit.server.path') return { found: c, tried: [{ candidate: c, error: r.error ?? 'probe failed' }] };
    tried.push({ candidate: c, error: r.error ?? 'probe failed' });
  }
  return { tried };
}

/** Looks a command up on a PATH string (pure apart from `isExecutable`). */
export function whichOnPath(
  name: string,
  envPath: string | undefined,
  platform: NodeJS.Platform,
  isExecutable: (file: string) => boolean,
): string | undefined {
  if (!envPath) return undefined;
  const sep = platform === 'win32' ? ';' : ':';
  const join = platform === 'win32' ? path.win32.join : path.posix.join;
  for (const dir of envPath.split(sep)) {
    if (!dir) continue;
    const file = join(dir, name);
    if (isExecutable(file)) return file;
  }
  return undefined;
}

export interface InstallPlan {
  envDir: string;
  python: string;
  steps: ServerCommand[];
  /** The same steps as one shell line a user can paste into a terminal. */
  shellLine: string;
}

function quote(arg: string, platform: NodeJS.Platform): string {
  if (/^[A-Za-z0-9_./:=@+-]+$/.test(arg)) return arg;
  return platform === 'win32' ? `"${arg.replace(/"/g, '""')}"` : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * The commands that install wit-ls into a private virtual environment at `envDir`: from a package
 * index, or, with `wheelDir`, only from the wheels in that folder (the server wheel and its
 * dependencies bundled in a platform-specific .vsix; no network and no index).
 */
export function installPlan(
  basePython: string,
  envDir: string,
  platform: NodeJS.Platform,
  pkg = 'wit-ls',
  wheelDir?: string,
): InstallPlan {
  const py = venvPython(envDir, platform);
  const pip = wheelDir
    ? ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-index', '--find-links', wheelDir, pkg]
    : ['-m', 'pip', 'install', '--upgrade', pkg];
  const steps: ServerCommand[] = [
    { command: basePython, args: ['-m', 'venv', '--clear', envDir] },
    { command: py, args: pip },
  ];
  const shellLine = steps.map((s) => [s.command, ...s.args].map((a) => quote(a, platform)).join(' ')).join(' && ');
  return { envDir, python: py, steps, shellLine };
}

/** The oldest Python the server supports (pyproject's requires-python). */
export const MIN_PYTHON: readonly [number, number] = [3, 10];

/** A probe that exits 0 only on a Python at least MIN_PYTHON (and prints its version). */
export function pythonVersionProbe(python: string): ServerCommand {
  const [major, minor] = MIN_PYTHON;
  return {
    command: python,
    args: ['-c', `import sys; print(sys.version.split()[0]); sys.exit(0 if sys.version_info >= (${major}, ${minor}) else 1)`],
  };
}

/**
 * Interpreters to create the private environment with, best first: the `wit.server.python`
 * setting, the Python extension's interpreter, then `python3`/`python` (`python.exe`/`py.exe` on
 * Windows) on PATH. Duplicates are dropped.
 */
export function basePythonCandidates(input: Pick<DiscoveryInput, 'pythonSetting' | 'pythonExtensionInterpreter' | 'platform' | 'which'>): string[] {
  const out: string[] = [];
  const add = (p: string | undefined) => {
    const c = clean(p);
    if (c && !out.includes(c)) out.push(c);
  };
  add(input.pythonSetting);
  add(input.pythonExtensionInterpreter);
  for (const name of input.platform === 'win32' ? ['python.exe', 'py.exe'] : ['python3', 'python']) add(input.which(name));
  return out;
}

/**
 * The bundled server of a platform-specific .vsix: the folder of wheels and the wit-ls wheel in it,
 * from the names of the files in `server/wheels` (undefined when the .vsix bundles no server).
 */
export function bundledServer(wheelDir: string, fileNames: string[]): { wheelDir: string; wheel: string } | undefined {
  const wheel = fileNames.filter((n) => /^wit_ls-[^-]+-.*\.whl$/.test(n)).sort().pop();
  return wheel ? { wheelDir, wheel } : undefined;
}
