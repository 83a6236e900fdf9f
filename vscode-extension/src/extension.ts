// Entry point of the WIT extension: starts the wit-ls language server and wires up commands,
// the status-bar item and the virtual documents for the syntax tree / elaborated world views.
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';
import {
  basePythonCandidates,
  bundledServer,
  Candidate,
  installPlan,
  MIN_PYTHON,
  pythonVersionProbe,
  ProbeResult,
  resolveServer,
  serverCandidates,
  ServerCommand,
  venvPython,
  whichOnPath,
} from './discovery';
import { parseShowReferences } from './references';
import { configurationFor, readServerSettings, RESTART_SETTINGS, toServerSettings } from './settings';
import { ServerStatus, StatusItem } from './status';
import { VirtualDocuments } from './virtualDocuments';
import { WORLD_GRAPH_REQUEST, WorldGraphPanel, WorldGraphResult } from './worldGraph';
import { worldLenses } from './worldLens';

const CLIENT_ID = 'wit';
const CLIENT_NAME = 'WIT Language Server';
const SYNTAX_TREE_REQUEST = 'wit-ls/syntaxTree';
const ELABORATED_WORLD_REQUEST = 'wit-ls/elaboratedWorld';

let ext: WitExtension | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  ext = new WitExtension(context);
  await ext.start();
}

export async function deactivate(): Promise<void> {
  await ext?.dispose();
  ext = undefined;
}

/** The `wit` settings as a plain object, the input of the pure translation in settings.ts. */
function rawSettings(scope?: vscode.Uri): Record<string, unknown> {
  const cfg = vscode.workspace.getConfiguration('wit', scope);
  return readServerSettings((key) => cfg.get(key));
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function run(cmd: ServerCommand, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    cp.execFile(cmd.command, cmd.args, { timeout: timeoutMs, windowsHide: true }, (err, stdout, stderr) => {
      if (err) resolve({ ok: false, error: `${err.message.trim()}${stderr ? `\n${String(stderr).trim()}` : ''}` });
      else resolve({ ok: true, output: `${stdout}${stderr}`.trim() });
    });
  });
}

/** The interpreter the Python extension (ms-python.python) has selected, if it is installed. */
async function pythonExtensionInterpreter(resource?: vscode.Uri): Promise<string | undefined> {
  const pyExt = vscode.extensions.getExtension('ms-python.python');
  if (!pyExt) return undefined;
  try {
    // The API is typed loosely on purpose: it is optional and differs between versions.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const api: any = pyExt.isActive ? pyExt.exports : await pyExt.activate();
    const envPath = api?.environments?.getActiveEnvironmentPath?.(resource);
    if (envPath?.path) {
      const resolved = await api.environments.resolveEnvironment?.(envPath);
      return resolved?.executable?.uri?.fsPath ?? envPath.path;
    }
    const details = api?.settings?.getExecutionDetails?.(resource);
    return details?.execCommand?.[0];
  } catch {
    return undefined;
  }
}

class WitExtension {
  private client: LanguageClient | undefined;
  private readonly output: vscode.OutputChannel;
  private readonly status: StatusItem;
  private readonly views: VirtualDocuments;
  private current: (Candidate & { version?: string }) | undefined;
  private stopping = false;
  private starting: Promise<void> | undefined;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel(CLIENT_NAME);
    this.status = new StatusItem('wit.showOutput');
    this.views = new VirtualDocuments('wit-ls-view');
    context.subscriptions.push(
      this.output,
      this.status,
      vscode.workspace.registerTextDocumentContentProvider(this.views.scheme, this.views),
      vscode.commands.registerCommand('wit.restartServer', () => this.restart()),
      vscode.commands.registerCommand('wit.showOutput', () => this.output.show(true)),
      vscode.commands.registerCommand('wit.showSyntaxTree', () => this.showSyntaxTree()),
      vscode.commands.registerCommand('wit.showElaboratedWorld', () => this.showElaboratedWorld()),
      vscode.commands.registerCommand('wit.showWorldGraph', (uri?: string, line?: number, character?: number) =>
        this.showWorldGraph(uri, line, character),
      ),
      vscode.languages.registerCodeLensProvider({ language: 'wit' }, {
        provideCodeLenses: (doc) =>
          worldLenses(doc.getText()).map((w) => {
            const at = doc.positionAt(w.offset);
            return new vscode.CodeLens(new vscode.Range(at, at), {
              title: 'World graph',
              tooltip: `Draw what world ${w.name} imports and exports, and why`,
              command: 'wit.showWorldGraph',
              arguments: [doc.uri.toString(), at.line, at.character],
            });
          }),
      }),
      // Run by the server's usage code lenses ("4 references"): its arguments are plain JSON.
      vscode.commands.registerCommand('wit.showReferences', (...args: unknown[]) => this.showReferences(args)),
      vscode.commands.registerCommand('wit.installServer', () => this.installServer()),
      vscode.commands.registerCommand('wit.showInstallCommand', () => this.showInstallCommand()),
      vscode.workspace.onDidChangeConfiguration((e) => this.onConfigurationChanged(e)),
    );
  }

  private async showReferences(args: unknown[]): Promise<void> {
    const found = parseShowReferences(args);
    if (found === undefined) return;
    const pos = (p: { line: number; character: number }) => new vscode.Position(p.line, p.character);
    const locations = found.locations.map(
      (l) => new vscode.Location(vscode.Uri.parse(l.uri), new vscode.Range(pos(l.start), pos(l.end))),
    );
    await vscode.commands.executeCommand('editor.action.showReferences', vscode.Uri.parse(found.uri), pos(found.position), locations);
  }

  private get privateEnvDir(): string {
    return path.join(this.context.globalStorageUri.fsPath, 'wit-ls-venv');
  }

  private log(message: string): void {
    this.output.appendLine(`[${new Date().toISOString()}] ${message}`);
  }

  private async findServer(): Promise<(Candidate & { version?: string }) | undefined> {
    const cfg = vscode.workspace.getConfiguration('wit');
    const candidates = serverCandidates({
      serverPath: cfg.get<string>('server.path'),
      serverArgs: cfg.get<string[]>('server.args'),
      pythonSetting: cfg.get<string>('server.python'),
      pythonExtensionInterpreter: await pythonExtensionInterpreter(vscode.workspace.workspaceFolders?.[0]?.uri),
      privateEnvDir: this.privateEnvDir,
      platform: process.platform,
      which: (name) => whichOnPath(name, process.env.PATH, process.platform, isExecutable),
      exists: (file) => fs.existsSync(file),
    });
    const resolution = await resolveServer(candidates, (c) => run(c, 20_000));
    for (const t of resolution.tried) this.log(`not usable: ${t.candidate.describe}: ${t.error}`);
    if (resolution.found) this.log(`using ${resolution.found.describe}${resolution.found.version ? `, version ${resolution.found.version}` : ''}`);
    return resolution.found;
  }

  start(): Promise<void> {
    this.starting ??= this.doStart().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async doStart(): Promise<void> {
    this.status.set(ServerStatus.Starting);
    let server = await this.findServer();
    // Right after the window opens, settings and the Python extension may not be ready yet:
    // look again a little later before declaring the server missing.
    for (const delayMs of [1500, 3000]) {
      if (server || this.stopping) break;
      this.log(`no language server found yet; looking again in ${delayMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      server = await this.findServer();
    }
    if (!server && !this.stopping && this.bundle()) {
      // A platform-specific .vsix carries the server's wheels: install them into the private
      // environment (no package index involved) and use that.
      this.log('no language server found: installing the one bundled with this extension');
      if (await this.installInto(true)) server = await this.findServer();
    }
    if (!server) {
      this.status.set(ServerStatus.Stopped, 'not found');
      void this.offerInstall();
      return;
    }
    this.current = server;
    const serverOptions: ServerOptions = {
      command: server.command,
      args: server.args,
      transport: TransportKind.stdio,
      options: { env: { ...process.env, PYTHONUNBUFFERED: '1' } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'wit' },
        { scheme: 'untitled', language: 'wit' },
      ],
      outputChannel: this.output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      initializationOptions: toServerSettings(rawSettings()),
      synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/{*.wit,deps.toml,wkg.toml,wit-ls.toml,.wit-ls.toml}') },
      middleware: {
        workspace: {
          configuration: async (params, token, next) => {
            const ours = (s?: string) => s === undefined || s === 'wit' || s.startsWith('wit.');
            const answers = params.items.every((i) => ours(i.section)) ? params.items.map(() => null) : await next(params, token);
            if (answers instanceof Error || !Array.isArray(answers)) return answers;
            return params.items.map((item, i) =>
              ours(item.section)
                ? configurationFor(item.section, rawSettings(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined))
                : answers[i],
            );
          },
        },
      },
    };
    const client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
    this.client = client;
    client.onDidChangeState((e) => {
      if (this.client !== client) return;
      if (e.newState === State.Starting) this.status.set(ServerStatus.Starting);
      else if (e.newState === State.Running) this.status.set(ServerStatus.Running, client.initializeResult?.serverInfo?.version ?? server.version);
      else if (e.newState === State.Stopped) this.status.set(this.stopping ? ServerStatus.Stopped : ServerStatus.Error);
    });
    try {
      await client.start();
      const info = client.initializeResult?.serverInfo;
      this.log(`server running: ${info?.name ?? 'wit-ls'} ${info?.version ?? ''}`.trim());
      this.status.set(ServerStatus.Running, info?.version ?? server.version, server.describe);
    } catch (err) {
      this.status.set(ServerStatus.Error, undefined, `${server.describe}: ${String(err)}`);
      this.log(`failed to start ${server.describe}: ${String(err)}`);
      const pick = await vscode.window.showErrorMessage(
        `The WIT language server failed to start (${server.describe}).`,
        'Show Output',
        'Open Settings',
      );
      if (pick === 'Show Output') this.output.show(true);
      else if (pick === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'wit.server');
    }
  }

  private async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    this.stopping = true;
    try {
      if (client.isRunning()) await client.stop(5000);
      else await client.dispose(5000);
    } catch (err) {
      this.log(`error while stopping the server: ${String(err)}`);
    } finally {
      this.stopping = false;
      this.status.set(ServerStatus.Stopped);
    }
  }

  async restart(): Promise<void> {
    await this.starting;
    await this.stop();
    await this.start();
  }

  async dispose(): Promise<void> {
    await this.stop();
  }

  private async onConfigurationChanged(e: vscode.ConfigurationChangeEvent): Promise<void> {
    if (!e.affectsConfiguration('wit')) return;
    if (RESTART_SETTINGS.some((s) => e.affectsConfiguration(s))) {
      this.log('server settings changed: restarting');
      await this.restart();
      return;
    }
    if (this.client?.isRunning()) {
      await this.client.sendNotification(DidChangeConfigurationNotification.type, { settings: { wit: toServerSettings(rawSettings()) } });
    }
  }

  // ---- installing the server ---------------------------------------------------------------

  /** The server wheels bundled in a platform-specific .vsix, if this one has them. */
  private bundle(): { wheelDir: string; wheel: string } | undefined {
    const wheelDir = path.join(this.context.extensionPath, 'server', 'wheels');
    let names: string[] = [];
    try {
      names = fs.readdirSync(wheelDir);
    } catch {
      return undefined;
    }
    return bundledServer(wheelDir, names);
  }

  /** The first interpreter of at least MIN_PYTHON to create the private environment with. */
  private async basePython(): Promise<string | undefined> {
    const cfg = vscode.workspace.getConfiguration('wit');
    const candidates = basePythonCandidates({
      pythonSetting: cfg.get<string>('server.python'),
      pythonExtensionInterpreter: await pythonExtensionInterpreter(vscode.workspace.workspaceFolders?.[0]?.uri),
      platform: process.platform,
      which: (name) => whichOnPath(name, process.env.PATH, process.platform, isExecutable),
    });
    for (const python of candidates) {
      const r = await run(pythonVersionProbe(python), 20_000);
      if (r.ok) return python;
      this.log(`not usable to install wit-ls: ${python} (${r.output ?? r.error ?? 'no answer'}; needs Python ${MIN_PYTHON.join('.')} or newer)`);
    }
    return undefined;
  }

  private async offerInstall(): Promise<void> {
    this.log('wit-ls was not found (setting wit.server.path, wit-ls on PATH, python -m wit_ls).');
    const pick = await vscode.window.showWarningMessage(
      'The WIT language server (wit-ls) was not found. Highlighting and snippets work without it; diagnostics, hover and navigation need it.',
      'Install wit-ls',
      'Show Install Command',
      'Open Settings',
    );
    if (pick === 'Install wit-ls') await this.installServer();
    else if (pick === 'Show Install Command') await this.showInstallCommand();
    else if (pick === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'wit.server');
  }

  private async showInstallCommand(): Promise<void> {
    const python = (await this.basePython()) ?? (process.platform === 'win32' ? 'py' : 'python3');
    const plan = installPlan(python, this.privateEnvDir, process.platform);
    const simple = `${python} -m pip install --user wit-ls`;
    this.log(`install into the private environment: ${plan.shellLine}`);
    this.log(`or install for your user: ${simple}`);
    await vscode.env.clipboard.writeText(plan.shellLine);
    const pick = await vscode.window.showInformationMessage(
      `Copied to the clipboard: ${plan.shellLine}`,
      { modal: false },
      'Show Output',
    );
    if (pick === 'Show Output') this.output.show(true);
  }

  /** The "Install wit-ls" command: install (from the bundled wheels when there are some), then restart. */
  private async installServer(): Promise<void> {
    if (await this.installInto(this.bundle() !== undefined)) await this.restart();
  }

  /**
   * Installs wit-ls into the private environment, from the bundled wheels (`fromBundle`) or from
   * the package index. Returns whether it worked; failures are shown to the user.
   */
  private async installInto(fromBundle: boolean): Promise<boolean> {
    const python = await this.basePython();
    if (!python) {
      const min = MIN_PYTHON.join('.');
      this.log(`no Python ${min} or newer found to install wit-ls with`);
      const pick = await vscode.window.showErrorMessage(
        `The WIT language server needs Python ${min} or newer, and none was found. Install Python ${min}+ (python.org, or your system's package manager) or set "wit.server.python" to one.`,
        'Open Settings',
        'Show Output',
      );
      if (pick === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'wit.server.python');
      else if (pick === 'Show Output') this.output.show(true);
      return false;
    }
    const bundle = fromBundle ? this.bundle() : undefined;
    const plan = installPlan(python, this.privateEnvDir, process.platform, 'wit-ls', bundle?.wheelDir);
    fs.mkdirSync(path.dirname(plan.envDir), { recursive: true });
    this.status.set(ServerStatus.Starting, undefined, 'installing wit-ls');
    const ok = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: bundle ? 'Installing the bundled wit-ls' : 'Installing wit-ls', cancellable: false },
      async (progress) => {
        for (const step of plan.steps) {
          const line = [step.command, ...step.args].join(' ');
          progress.report({ message: line });
          this.log(`$ ${line}`);
          const r = await run(step, 10 * 60_000);
          if (r.output) this.log(r.output);
          if (!r.ok) {
            this.log(r.error ?? 'failed');
            return false;
          }
        }
        return true;
      },
    );
    if (!ok) {
      const pick = await vscode.window.showErrorMessage('Installing wit-ls failed; see the output for details.', 'Show Output');
      if (pick === 'Show Output') this.output.show(true);
      return false;
    }
    this.log(`installed wit-ls into ${plan.envDir} (${venvPython(plan.envDir, process.platform)})${bundle ? ` from ${bundle.wheel}` : ''}`);
    if (!bundle) void vscode.window.showInformationMessage('wit-ls installed. Starting the language server.');
    return true;
  }

  // ---- custom views --------------------------------------------------------------------------

  private activeWitEditor(): vscode.TextEditor | undefined {
    const isWit = (e?: vscode.TextEditor) => e?.document.languageId === 'wit' && e.document.uri.scheme !== this.views.scheme;
    const active = vscode.window.activeTextEditor;
    const editor = isWit(active) ? active : vscode.window.visibleTextEditors.find(isWit);
    if (!editor) {
      void vscode.window.showInformationMessage('Open a WIT file first.');
      return undefined;
    }
    if (!this.client?.isRunning()) {
      void vscode.window.showWarningMessage('The WIT language server is not running.');
      return undefined;
    }
    return editor;
  }

  private async showView(kind: string, editor: vscode.TextEditor, method: string, params: object, language: string): Promise<void> {
    const client = this.client!;
    let text: string;
    try {
      const result = await client.sendRequest<{ text: string } | null>(method, params);
      text = result?.text ?? '(the server returned nothing)';
    } catch (err) {
      void vscode.window.showErrorMessage(`${method} failed: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    const uri = this.views.set(kind, editor.document.uri, text, language === 'wit' ? '.wit' : '.txt');
    const doc = await vscode.workspace.openTextDocument(uri);
    if (doc.languageId !== language) await vscode.languages.setTextDocumentLanguage(doc, language);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
  }

  private async showSyntaxTree(): Promise<void> {
    const editor = this.activeWitEditor();
    if (!editor) return;
    const params = { textDocument: { uri: editor.document.uri.toString() } };
    await this.showView('syntax-tree', editor, SYNTAX_TREE_REQUEST, params, 'plaintext');
  }

  private async showWorldGraph(uri?: string, line?: number, character?: number): Promise<void> {
    let params: { textDocument: { uri: string }; position?: { line: number; character: number } };
    let column: vscode.ViewColumn | undefined;
    if (typeof uri === 'string' && typeof line === 'number' && typeof character === 'number') {
      if (!this.client?.isRunning()) {
        void vscode.window.showWarningMessage('The WIT language server is not running.');
        return;
      }
      params = { textDocument: { uri }, position: { line, character } };
      column = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri)?.viewColumn;
    } else {
      const editor = this.activeWitEditor();
      if (!editor) return;
      const pos = editor.selection.active;
      params = { textDocument: { uri: editor.document.uri.toString() }, position: { line: pos.line, character: pos.character } };
      column = editor.viewColumn;
    }
    const request = async (p: object): Promise<WorldGraphResult | null> => {
      const client = this.client;
      if (!client?.isRunning()) return null;
      try {
        return await client.sendRequest<WorldGraphResult | null>(WORLD_GRAPH_REQUEST, p);
      } catch (err) {
        void vscode.window.showErrorMessage(`${WORLD_GRAPH_REQUEST} failed: ${err instanceof Error ? err.message : String(err)}`);
        return null;
      }
    };
    await WorldGraphPanel.show(this.context.extensionUri, request, params, column);
  }

  private async showElaboratedWorld(): Promise<void> {
    const editor = this.activeWitEditor();
    if (!editor) return;
    const pos = editor.selection.active;
    const params = { textDocument: { uri: editor.document.uri.toString() }, position: { line: pos.line, character: pos.character } };
    await this.showView('elaborated-world', editor, ELABORATED_WORLD_REQUEST, params, 'wit');
  }
}
