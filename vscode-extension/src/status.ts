// The status-bar item that shows the language server's state and version.
import * as vscode from 'vscode';

export enum ServerStatus {
  Starting = 'starting',
  Running = 'running',
  Stopped = 'stopped',
  Error = 'error',
}

export class StatusItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor(command: string) {
    this.item = vscode.window.createStatusBarItem('wit.serverStatus', vscode.StatusBarAlignment.Left, 0);
    this.item.name = 'WIT Language Server';
    this.item.command = command;
    this.set(ServerStatus.Starting);
    this.item.show();
  }

  /** `detail` is the version when running, otherwise a short reason. */
  set(status: ServerStatus, detail?: string, tooltip?: string): void {
    const item = this.item;
    item.backgroundColor = undefined;
    switch (status) {
      case ServerStatus.Starting:
        item.text = '$(loading~spin) wit-ls: starting';
        break;
      case ServerStatus.Running:
        item.text = `$(check) wit-ls${detail ? ` v${detail.replace(/^v/, '')}` : ''}`;
        break;
      case ServerStatus.Stopped:
        item.text = `$(circle-slash) wit-ls: ${detail ?? 'stopped'}`;
        break;
      case ServerStatus.Error:
        item.text = '$(error) wit-ls: error';
        item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
        break;
    }
    item.tooltip = `WIT language server: ${status}${detail ? ` (${detail})` : ''}${tooltip ? `\n${tooltip}` : ''}\nClick to show the output.`;
  }

  dispose(): void {
    this.item.dispose();
  }
}
