// The status bar item of the host: asks the server (xen/hostInfo) for the routed subnet of the
// active file's host and shows it. Thin: every fact comes from the server.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { HostInfoRequest, type HostInfo } from '../../server/src/protocol';

export function hostStatus(client: LanguageClient, languages: readonly string[]): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('xen.hostStatus', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Xen host';
  let ticket = 0;

  async function update(): Promise<void> {
    const mine = ++ticket;
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || !languages.includes(doc.languageId)) {
      item.hide();
      return;
    }
    let info: HostInfo | null = null;
    try {
      info = await client.sendRequest(HostInfoRequest, { uri: doc.uri.toString() });
    } catch {
      info = null;
    }
    if (mine !== ticket) return;
    if (!info) {
      item.hide();
      return;
    }
    // `Xen routed 80.68.86.192/29 · 4 free`
    const head = ['Xen', info.mode === 'unknown' ? 'mode unknown' : info.mode, info.subnet ?? 'no routed subnet'].join(' ');
    item.text = `$(server) ${info.subnet ? `${head} · ${info.free} free` : head}`;
    item.command = { command: 'xen.showNetworkDiagram', title: 'Show Network Diagram' };
    const tip = [info.subnet ? `Routed subnet ${info.subnet}, from ${info.source}.` : info.source];
    if (info.gateway) tip.push(`Gateway of the guests: ${info.gateway}.`);
    tip.push('Click: the network diagram.');
    item.tooltip = tip.join('\n');
    item.show();
  }

  const subs = [
    item,
    vscode.window.onDidChangeActiveTextEditor(() => void update()),
    vscode.languages.onDidChangeDiagnostics((e) => {
      const active = vscode.window.activeTextEditor?.document.uri.toString();
      if (active && e.uris.some((u) => u.toString() === active)) void update();
    }),
  ];
  void update();
  return vscode.Disposable.from(...subs);
}
