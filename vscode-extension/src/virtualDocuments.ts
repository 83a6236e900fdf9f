// Read-only virtual documents (syntax tree, elaborated world) served from memory.
import * as vscode from 'vscode';

export class VirtualDocuments implements vscode.TextDocumentContentProvider {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(readonly scheme: string) {}

  /** Stores `text` as the `kind` view of `source` and returns the URI to open. */
  set(kind: string, source: vscode.Uri, text: string, extension: string): vscode.Uri {
    const base = source.path.split('/').pop() || 'untitled';
    const uri = vscode.Uri.from({
      scheme: this.scheme,
      path: `/${kind}/${base}${extension}`,
      query: source.toString(),
    });
    this.contents.set(uri.toString(), text);
    this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }
}
