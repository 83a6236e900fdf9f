import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  basePythonCandidates,
  bundledServer,
  DiscoveryInput,
  installPlan,
  parseVersion,
  pythonVersionProbe,
  resolveServer,
  serverCandidates,
  venvPython,
  whichOnPath,
} from '../src/discovery';

function input(over: Partial<DiscoveryInput> & { onPath?: Record<string, string>; files?: string[] } = {}): DiscoveryInput {
  const onPath = over.onPath ?? {};
  const files = new Set(over.files ?? []);
  return {
    platform: 'linux',
    which: (name) => onPath[name],
    exists: (f) => files.has(f),
    ...over,
  };
}

test('discovery: wit.server.path wins outright, with wit.server.args', () => {
  const c = serverCandidates(input({ serverPath: ' /opt/wit-ls ', serverArgs: ['serve', '--stdio'], onPath: { 'wit-ls': '/usr/bin/wit-ls' } }));
  assert.equal(c.length, 1);
  assert.equal(c[0].source, 'setting:wit.server.path');
  assert.equal(c[0].command, '/opt/wit-ls');
  assert.deepEqual(c[0].args, ['serve', '--stdio']);
});

test('discovery: wit.server.path without args defaults to serve', () => {
  const c = serverCandidates(input({ serverPath: 'wit-ls', serverArgs: [] }));
  assert.deepEqual(c[0].args, ['serve']);
});

test('discovery: full order PATH, python setting, Python extension, private env, python on PATH', () => {
  const env = '/home/u/.storage/wit-ls-venv';
  const c = serverCandidates(
    input({
      serverPath: '',
      pythonSetting: '/usr/bin/python3.12',
      pythonExtensionInterpreter: '/proj/.venv/bin/python',
      privateEnvDir: env,
      files: [`${env}/bin/python`],
      onPath: { 'wit-ls': '/usr/local/bin/wit-ls', python3: '/usr/bin/python3', python: '/usr/bin/python' },
    }),
  );
  assert.deepEqual(
    c.map((x) => [x.source, x.command, x.args.join(' ')]),
    [
      ['PATH', '/usr/local/bin/wit-ls', 'serve'],
      ['setting:wit.server.python', '/usr/bin/python3.12', '-m wit_ls serve'],
      ['python-extension', '/proj/.venv/bin/python', '-m wit_ls serve'],
      ['private-environment', `${env}/bin/python`, '-m wit_ls serve'],
      ['python-on-PATH', '/usr/bin/python3', '-m wit_ls serve'],
      ['python-on-PATH', '/usr/bin/python', '-m wit_ls serve'],
    ],
  );
  assert.deepEqual(c[0].probe, { command: '/usr/local/bin/wit-ls', args: ['--version'] });
  assert.deepEqual(c[1].probe, { command: '/usr/bin/python3.12', args: ['-m', 'wit_ls', '--version'] });
});

test('discovery: private environment only when its interpreter exists; duplicates dropped', () => {
  const c = serverCandidates(
    input({ pythonSetting: '/usr/bin/python3', privateEnvDir: '/s/venv', onPath: { python3: '/usr/bin/python3' } }),
  );
  assert.deepEqual(c.map((x) => x.source), ['setting:wit.server.python']);
});

test('discovery: nothing at all gives no candidates', () => {
  assert.deepEqual(serverCandidates(input()), []);
});

test('discovery: windows names and venv layout', () => {
  const c = serverCandidates(input({ platform: 'win32', onPath: { 'wit-ls.exe': 'C:\\bin\\wit-ls.exe', 'python.exe': 'C:\\py\\python.exe' } }));
  assert.deepEqual(c.map((x) => x.command), ['C:\\bin\\wit-ls.exe', 'C:\\py\\python.exe']);
  assert.equal(venvPython('C:\\s\\venv', 'win32'), 'C:\\s\\venv\\Scripts\\python.exe');
  assert.equal(venvPython('/s/venv', 'linux'), '/s/venv/bin/python');
});

test('resolveServer: first working candidate wins and its version is parsed', async () => {
  const c = serverCandidates(input({ pythonSetting: '/bad/python', onPath: { 'wit-ls': '/broken/wit-ls', python3: '/usr/bin/python3' } }));
  const probed: string[] = [];
  const r = await resolveServer(c, async (cmd) => {
    probed.push(cmd.command);
    return cmd.command === '/usr/bin/python3' ? { ok: true, output: 'wit-ls 0.1.0\n' } : { ok: false, error: 'ENOENT' };
  });
  assert.deepEqual(probed, ['/broken/wit-ls', '/bad/python', '/usr/bin/python3']);
  assert.equal(r.found?.command, '/usr/bin/python3');
  assert.equal(r.found?.version, '0.1.0');
  assert.equal(r.tried.length, 2);
});

test('resolveServer: an explicit wit.server.path is used even if its probe fails', async () => {
  const c = serverCandidates(input({ serverPath: '/my/wrapper', onPath: { 'wit-ls': '/usr/bin/wit-ls' } }));
  const r = await resolveServer(c, async () => ({ ok: false, error: 'unknown option --version' }));
  assert.equal(r.found?.command, '/my/wrapper');
  assert.equal(r.found?.version, undefined);
});

test('resolveServer: none works', async () => {
  const c = serverCandidates(input({ onPath: { python3: '/usr/bin/python3' } }));
  const r = await resolveServer(c, async () => ({ ok: false, error: 'No module named wit_ls' }));
  assert.equal(r.found, undefined);
  assert.equal(r.tried[0].error, 'No module named wit_ls');
});

test('parseVersion', () => {
  assert.equal(parseVersion('wit-ls 0.1.0'), '0.1.0');
  assert.equal(parseVersion('wit-ls 1.2.3-rc.1+abc'), '1.2.3-rc.1+abc');
  assert.equal(parseVersion('nothing'), undefined);
  assert.equal(parseVersion(undefined), undefined);
});

test('whichOnPath', () => {
  const exe = new Set(['/b/wit-ls']);
  assert.equal(whichOnPath('wit-ls', '/a::/b:/c', 'linux', (f) => exe.has(f)), '/b/wit-ls');
  assert.equal(whichOnPath('wit-ls', '/a', 'linux', (f) => exe.has(f)), undefined);
  assert.equal(whichOnPath('wit-ls', undefined, 'linux', () => true), undefined);
  assert.equal(whichOnPath('wit-ls.exe', 'C:\\x;C:\\y', 'win32', (f) => f === 'C:\\y\\wit-ls.exe'), 'C:\\y\\wit-ls.exe');
});

test('installPlan: venv then pip, and a paste-able shell line', () => {
  const p = installPlan('/usr/bin/python3', '/home/u/My Storage/wit-ls-venv', 'linux');
  assert.deepEqual(p.steps, [
    { command: '/usr/bin/python3', args: ['-m', 'venv', '--clear', '/home/u/My Storage/wit-ls-venv'] },
    { command: '/home/u/My Storage/wit-ls-venv/bin/python', args: ['-m', 'pip', 'install', '--upgrade', 'wit-ls'] },
  ]);
  assert.equal(
    p.shellLine,
    "/usr/bin/python3 -m venv --clear '/home/u/My Storage/wit-ls-venv' && '/home/u/My Storage/wit-ls-venv/bin/python' -m pip install --upgrade wit-ls",
  );
  assert.equal(p.python, '/home/u/My Storage/wit-ls-venv/bin/python');
});

test('installPlan: from bundled wheels only, without an index', () => {
  const p = installPlan('/usr/bin/python3', '/s/env', 'linux', 'wit-ls', '/ext/server/wheels');
  assert.deepEqual(p.steps[0], { command: '/usr/bin/python3', args: ['-m', 'venv', '--clear', '/s/env'] });
  assert.deepEqual(p.steps[1].args, ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-index', '--find-links', '/ext/server/wheels', 'wit-ls']);
  assert.equal(p.steps[1].command, '/s/env/bin/python');
});

test('bundledServer: the wit-ls wheel among the dependencies, or nothing', () => {
  const names = ['pygls-2.1.1-py3-none-any.whl', 'wit_ls-0.1.0-cp310-abi3-linux_x86_64.whl', 'tree_sitter-0.26.1-cp312-cp312-manylinux_2_17_x86_64.whl'];
  assert.deepEqual(bundledServer('/w', names), { wheelDir: '/w', wheel: 'wit_ls-0.1.0-cp310-abi3-linux_x86_64.whl' });
  assert.equal(bundledServer('/w', ['pygls-2.1.1-py3-none-any.whl']), undefined);
  assert.equal(bundledServer('/w', []), undefined);
});

test('basePythonCandidates: setting, Python extension, then PATH, without duplicates', () => {
  const which = (n: string) => (n === 'python3' ? '/usr/bin/python3' : n === 'python' ? '/usr/bin/python3' : undefined);
  assert.deepEqual(basePythonCandidates({ pythonSetting: ' ', pythonExtensionInterpreter: '/venv/bin/python', platform: 'linux', which }), [
    '/venv/bin/python',
    '/usr/bin/python3',
  ]);
  assert.deepEqual(basePythonCandidates({ platform: 'win32', which: (n) => (n === 'py.exe' ? 'C:\\py.exe' : undefined) }), ['C:\\py.exe']);
});

test('pythonVersionProbe: asks for 3.10 or newer', () => {
  const probe = pythonVersionProbe('/usr/bin/python3');
  assert.equal(probe.command, '/usr/bin/python3');
  assert.match(probe.args[1], /sys\.version_info >= \(3, 10\)/);
});
