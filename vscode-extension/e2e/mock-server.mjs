// A tiny stand-in language server for the end-to-end test (WIT_E2E_SERVER=mock): it lets the
// test check the client side (start-up, status bar version, settings via workspace/configuration,
// diagnostics, hover, definition, custom requests) when the real wit-ls cannot serve yet.
// Speaks LSP over stdio with no dependencies. It knows nothing about WIT beyond plain text search.
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

if (process.argv.includes('--version')) {
  console.log('wit-ls 0.0.0-mock');
  process.exit(0);
}

const docs = new Map();
let settings = null;
let nextId = 1;
const pending = new Map();

function send(msg) {
  const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...msg }), 'utf8');
  process.stdout.write(`Content-Length: ${body.length}\r\n\r\n`);
  process.stdout.write(body);
}
const request = (method, params) =>
  new Promise((resolve) => {
    const id = nextId++;
    pending.set(id, resolve);
    send({ id, method, params });
  });

function wordAt(text, pos) {
  const line = text.split('\n')[pos.line] ?? '';
  const isWord = (c) => /[%A-Za-z0-9_-]/.test(c);
  let s = pos.character;
  let e = pos.character;
  while (s > 0 && isWord(line[s - 1])) s--;
  while (e < line.length && isWord(line[e])) e++;
  return { word: line.slice(s, e), start: s, end: e };
}

function publish(uri) {
  const text = docs.get(uri) ?? '';
  const diagnostics = [];
  text.split('\n').forEach((line, i) => {
    const c = line.indexOf('no-such-type');
    if (c >= 0) {
      diagnostics.push({
        range: { start: { line: i, character: c }, end: { line: i, character: c + 12 } },
        severity: 1,
        source: 'wit-ls (mock)',
        message: 'type `no-such-type` does not exist',
      });
    }
  });
  send({ method: 'textDocument/publishDiagnostics', params: { uri, diagnostics } });
}

async function refreshSettings() {
  const [wit] = await request('workspace/configuration', { items: [{ section: 'wit' }] });
  settings = wit;
}

async function handle(msg) {
  if (msg.method === undefined && msg.id !== undefined) {
    pending.get(msg.id)?.(msg.result);
    pending.delete(msg.id);
    return;
  }
  const p = msg.params;
  switch (msg.method) {
    case 'initialize':
      settings = p.initializationOptions ?? null;
      return send({
        id: msg.id,
        result: {
          capabilities: { textDocumentSync: 1, hoverProvider: true, definitionProvider: true },
          serverInfo: { name: 'wit-ls', version: '0.0.0-mock' },
        },
      });
    case 'initialized':
      return refreshSettings();
    case 'workspace/didChangeConfiguration':
      return refreshSettings();
    case 'textDocument/didOpen':
      docs.set(p.textDocument.uri, p.textDocument.text);
      return publish(p.textDocument.uri);
    case 'textDocument/didChange':
      docs.set(p.textDocument.uri, p.contentChanges.at(-1).text);
      return publish(p.textDocument.uri);
    case 'textDocument/didClose':
      docs.delete(p.textDocument.uri);
      return;
    case 'textDocument/hover': {
      const { word } = wordAt(docs.get(p.textDocument.uri) ?? '', p.position);
      const value = `**${word}** (mock hover)\n\nsettings: preset=${settings?.lint?.preset}, features=${(settings?.features ?? []).join('+')}, against=${settings?.breaking?.against}, outside=${settings?.readOutsideWorkspace}`;
      return send({ id: msg.id, result: word ? { contents: { kind: 'markdown', value } } : null });
    }
    case 'textDocument/definition': {
      const { word } = wordAt(docs.get(p.textDocument.uri) ?? '', p.position);
      // look for `resource <word>` / `record <word>` ... in deps/ next to the document
      const dir = path.dirname(fileURLToPath(p.textDocument.uri));
      for (const rel of ['deps/io/streams.wit', 'deps/clocks/monotonic-clock.wit']) {
        const file = path.join(dir, rel);
        let lines;
        try {
          lines = readFileSync(file, 'utf8').split('\n');
        } catch {
          continue;
        }
        const re = new RegExp(`\\b(resource|record|variant|enum|flags|type|interface)\\s+${word}\\b`);
        const i = lines.findIndex((l) => re.test(l));
        if (i >= 0) {
          const c = lines[i].indexOf(word, lines[i].search(re) + 1);
          return send({
            id: msg.id,
            result: { uri: pathToFileURL(file).href, range: { start: { line: i, character: c }, end: { line: i, character: c + word.length } } },
          });
        }
      }
      return send({ id: msg.id, result: null });
    }
    case 'wit-ls/syntaxTree':
      return send({ id: msg.id, result: { text: `(source_file) ; mock tree of ${p.textDocument.uri}` } });
    case 'wit-ls/elaboratedWorld':
      return send({ id: msg.id, result: { text: `// mock elaborated world at line ${p.position.line + 1}\n` } });
    case 'shutdown':
      return send({ id: msg.id, result: null });
    case 'exit':
      return process.exit(0);
    default:
      if (msg.id !== undefined) send({ id: msg.id, error: { code: -32601, message: `mock: ${msg.method} not handled` } });
  }
}

let buf = Buffer.alloc(0);
process.stdin.on('data', (chunk) => {
  buf = Buffer.concat([buf, chunk]);
  for (;;) {
    const headerEnd = buf.indexOf('\r\n\r\n');
    if (headerEnd < 0) return;
    const m = /Content-Length: (\d+)/i.exec(buf.subarray(0, headerEnd).toString('ascii'));
    const len = Number(m?.[1] ?? 0);
    if (buf.length < headerEnd + 4 + len) return;
    const body = buf.subarray(headerEnd + 4, headerEnd + 4 + len).toString('utf8');
    buf = buf.subarray(headerEnd + 4 + len);
    handle(JSON.parse(body)).catch((e) => process.stderr.write(`mock error: ${e.stack}\n`));
  }
});
