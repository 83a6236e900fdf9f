// The world graph view: a webview beside the editor that draws the answer of the server's
// `wit-ls/worldGraph` request with the bundled Mermaid (dist/mermaid.min.js; nothing is loaded
// from the network). Clicking an interface or world opens its definition.
import * as vscode from 'vscode';

export const WORLD_GRAPH_REQUEST = 'wit-ls/worldGraph';

/** An LSP location as the server sends it. */
export interface GraphLocation {
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

export interface GraphNode {
  id: string;
  kind: 'interface' | 'world';
  name: string;
  package: string;
  drawId: string;
  inline?: boolean;
  location: GraphLocation | null;
}

export interface GraphEdge {
  from: string;
  to: string;
  kind: string;
  label?: string;
}

export interface WorldItem {
  kind: string;
  name: string;
  interface?: string;
  via: GraphEdge[];
}

export interface WorldGraphResult {
  world: string | null;
  worlds: string[];
  mermaid: string;
  dot: string;
  graph: {
    packages: { id: string }[];
    nodes: GraphNode[];
    edges: GraphEdge[];
    world?: { id: string; imports: WorldItem[]; exports: WorldItem[] };
  };
}

export type Requester = (params: object) => Promise<WorldGraphResult | null>;

/** What the webview script gets: the drawing and what a click on each drawn node opens. */
export function viewModel(result: WorldGraphResult): object {
  return {
    world: result.world,
    worlds: result.worlds,
    mermaid: result.mermaid,
    nodes: result.graph.nodes.map((n) => ({ drawId: n.drawId, id: n.id, kind: n.kind, name: n.name, hasLocation: !!n.location })),
    imports: result.graph.world?.imports ?? [],
    exports: result.graph.world?.exports ?? [],
  };
}

/** A short title for the panel: the world's plain name, or the package root. */
export function panelTitle(result: WorldGraphResult): string {
  if (!result.world) return 'WIT graph';
  const name = result.world.split('/').pop()?.split('@')[0] ?? result.world;
  return `World graph: ${name}`;
}

function nonce(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < 32; i++) out += chars.charAt(Math.floor(Math.random() * chars.length));
  return out;
}

export class WorldGraphPanel {
  private static current: WorldGraphPanel | undefined;
  private result: WorldGraphResult | undefined;
  private source: { uri: string; column: vscode.ViewColumn | undefined } | undefined;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly request: Requester,
  ) {
    panel.onDidDispose(() => {
      if (WorldGraphPanel.current === this) WorldGraphPanel.current = undefined;
    });
    panel.webview.onDidReceiveMessage((msg) => this.onMessage(msg));
    panel.webview.html = this.html();
  }

  /** Shows the graph for `params` (a `wit-ls/worldGraph` request), reusing the open panel. */
  static async show(extensionUri: vscode.Uri, request: Requester, params: { textDocument: { uri: string } }, column: vscode.ViewColumn | undefined): Promise<void> {
    const result = await request(params);
    if (!result) {
      void vscode.window.showWarningMessage('The WIT language server has no graph for this file.');
      return;
    }
    let view = WorldGraphPanel.current;
    if (!view) {
      const panel = vscode.window.createWebviewPanel('witWorldGraph', panelTitle(result), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
        enableScripts: true,
        retainContextWhenHidden: true,
        localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
      });
      view = new WorldGraphPanel(panel, extensionUri, request);
      WorldGraphPanel.current = view;
    } else {
      view.panel.reveal(vscode.ViewColumn.Beside, true);
    }
    view.source = { uri: params.textDocument.uri, column };
    view.update(result);
  }

  private update(result: WorldGraphResult): void {
    this.result = result;
    this.panel.title = panelTitle(result);
    void this.panel.webview.postMessage({ type: 'graph', model: viewModel(result) });
  }

  private async onMessage(msg: { type?: string; id?: string; world?: string }): Promise<void> {
    if (msg.type === 'ready' && this.result) {
      void this.panel.webview.postMessage({ type: 'graph', model: viewModel(this.result) });
    } else if (msg.type === 'open' && msg.id && this.result) {
      const node = this.result.graph.nodes.find((n) => n.id === msg.id);
      if (!node?.location) return;
      const loc = node.location;
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(loc.uri));
      const range = new vscode.Range(loc.range.start.line, loc.range.start.character, loc.range.end.line, loc.range.end.character);
      await vscode.window.showTextDocument(doc, { viewColumn: this.source?.column ?? vscode.ViewColumn.One, selection: range, preserveFocus: false });
    } else if (msg.type === 'world' && msg.world && this.source) {
      const result = await this.request({ textDocument: { uri: this.source.uri }, world: msg.world });
      if (result) this.update(result);
    }
  }

  private html(): string {
    const webview = this.panel.webview;
    const asset = (...parts: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...parts));
    const n = nonce();
    const csp = [
      "default-src 'none'",
      `img-src ${webview.cspSource} data:`,
      `style-src ${webview.cspSource} 'unsafe-inline'`,
      `font-src ${webview.cspSource}`,
      `script-src 'nonce-${n}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('media', 'worldGraph.css')}">
<title>World graph</title>
</head>
<body>
<header>
  <label>World <select id="world"></select></label>
  <button id="zoom" title="Natural size or fit to the panel">100%</button>
  <span class="legend"><span class="imp">imported</span> <span class="exp">exported</span> <span class="wld">world</span>
  &nbsp;→ import &nbsp;⇒ export &nbsp;⇢ include / use</span>
</header>
<main id="graph" aria-live="polite">Loading…</main>
<section id="why"></section>
<script nonce="${n}" src="${asset('dist', 'mermaid.min.js')}"></script>
<script nonce="${n}" src="${asset('media', 'worldGraph.js')}"></script>
</body>
</html>`;
  }
}
