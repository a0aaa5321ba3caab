// "Xen: Show Network Diagram": a webview that draws the host of the active file (or the one
// asked for) from the server's xen/hostView, redrawn when the host's files or problems change.
// The webview's script (client/src/webview/diagram.ts, with its layout library) and stylesheet
// come inline under a nonce with a strict Content Security Policy: it loads nothing.
//
// Commands: xen.showNetworkDiagram ({ root? }), xen.exportNetworkDiagram ({ target? }: a file
// uri; asks where when absent), xen.networkDiagram.elements (what the webview drew, as data).
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import script from 'webview:client/src/webview/diagram.ts';
import style from './webview/diagram.css';
import { debounce, fetchHostView, onHostsMayHaveChanged, reveal, viewParamsOf, type HostView, type ViewPlace, type WorkspaceHosts } from './hosts';
import type { HostViewParams } from '../../server/src/protocol';

type FromWebview =
  | { type: 'ready' }
  | { type: 'rendered'; seq: number; count: number }
  | { type: 'open'; place: ViewPlace }
  | { type: 'elements'; id: number; seq: number; host: string | null; elements: unknown[]; theme: string }
  | { type: 'svg'; id: number; text: string }
  | { type: 'exportRequest' };

export interface DiagramElements {
  /** The drawing's number: it grows with each redraw. */
  seq: number;
  host: string | null;
  /** The class of the webview's body: vscode-light, vscode-dark, vscode-high-contrast... */
  theme: string;
  elements: {
    id: string;
    kind: string;
    lines: string[];
    uri?: string;
    line?: number;
    problems: string[];
    marked: string;
    x: number;
    y: number;
    width: number;
    height: number;
  }[];
}

function html(nonce: string, cspSource: string): string {
  const csp = [`default-src 'none'`, `script-src 'nonce-${nonce}'`, `style-src 'nonce-${nonce}'`, `font-src ${cspSource}`, `img-src ${cspSource} data:`].join(
    '; ',
  );
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Xen Network Diagram</title>
<style nonce="${nonce}">${style}</style>
</head>
<body>
<header><span id="title">Reading the host…</span><button id="export" type="button" title="Save the diagram as an SVG file">Export SVG…</button></header>
<main id="diagram"></main>
<script nonce="${nonce}">${script.replace(/<\/script/gi, '<\\/script')}</script>
</body>
</html>`;
}

export function registerDiagram(client: LanguageClient, hosts: WorkspaceHosts, languages: readonly string[]): vscode.Disposable {
  let panel: vscode.WebviewPanel | undefined;
  /** The host drawn: how xen/hostView is asked for it. */
  let target: HostViewParams | undefined;
  let seq = 0;
  let ready = false;
  let lastView: HostView | null = null;
  let requestId = 0;
  const pending = new Map<number, (m: FromWebview) => void>();
  const rendered: ((seq: number) => void)[] = [];
  let lastRendered = 0;

  const ask = <T extends FromWebview>(message: Record<string, unknown>, timeoutMs = 10_000): Promise<T> => {
    const id = ++requestId;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error('the diagram did not answer'));
      }, timeoutMs);
      pending.set(id, (m) => {
        clearTimeout(timer);
        resolve(m as T);
      });
      if (!panel) return reject(new Error('no diagram is open'));
      void panel.webview.postMessage({ ...message, id });
    });
  };

  const update = async (): Promise<void> => {
    if (!panel || !target) return;
    const view = await fetchHostView(client, target);
    if (!panel) return;
    lastView = view;
    panel.title = view ? `Xen Network: ${view.name}` : 'Xen Network';
    if (ready) void panel.webview.postMessage({ type: 'view', seq: ++seq, view, message: view ? undefined : 'The language server knows no host here.' });
  };
  const refresh = debounce(() => void update(), 200);

  const onMessage = async (m: FromWebview): Promise<void> => {
    switch (m.type) {
      case 'ready':
        ready = true;
        await update();
        break;
      case 'rendered':
        lastRendered = m.seq;
        for (const r of rendered.splice(0)) r(m.seq);
        break;
      case 'open':
        await reveal(m.place);
        break;
      case 'elements':
      case 'svg':
        pending.get(m.id)?.(m);
        pending.delete(m.id);
        break;
      case 'exportRequest':
        await vscode.commands.executeCommand('xen.exportNetworkDiagram');
        break;
    }
  };

  /** The host to draw: the one asked for, else the active file's (when the server knows it as a host), else one of the workspace's. */
  const chooseHost = async (given?: string): Promise<HostViewParams | undefined> => {
    if (given) return { root: given.replace(/\/+$/, '') };
    const list = await hosts.list();
    const active = vscode.window.activeTextEditor?.document.uri;
    if (active) {
      const view = await fetchHostView(client, { uri: active.toString() });
      const mine = view ? list.find((h) => h.root === view.root) : undefined;
      if (mine) return { uri: active.toString() };
    }
    if (list.length <= 1) return list[0] ? viewParamsOf(list[0]) : undefined;
    const picked = await vscode.window.showQuickPick(
      list.map((h) => ({ label: h.name, detail: vscode.Uri.parse(h.root).fsPath, host: h })),
      { title: 'Show Network Diagram', placeHolder: 'The host to draw' },
    );
    return picked ? viewParamsOf(picked.host) : undefined;
  };

  const show = async (args?: { root?: string }): Promise<boolean> => {
    const r = await chooseHost(args?.root);
    if (!r) {
      void vscode.window.showInformationMessage(
        'Xen: no host found: open a file of a host (a folder holding etc/network/interfaces, xend-config.sxp or domain files).',
      );
      return false;
    }
    target = r;
    if (panel) {
      panel.reveal(undefined, true);
      await update();
      return true;
    }
    panel = vscode.window.createWebviewPanel(
      'xenNetworkDiagram',
      'Xen Network',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      {
        enableScripts: true,
        localResourceRoots: [],
        retainContextWhenHidden: true,
      },
    );
    ready = false;
    panel.webview.onDidReceiveMessage((m: FromWebview) => void onMessage(m));
    panel.onDidDispose(() => {
      panel = undefined;
      ready = false;
      for (const [, p] of pending) p({ type: 'svg', id: -1, text: '' });
      pending.clear();
    });
    panel.webview.html = html(randomBytes(18).toString('base64'), panel.webview.cspSource);
    return true;
  };

  /** Waits until the webview has drawn the newest view (or a drawing after `after`). */
  const drawn = (after: number, timeoutMs = 10_000): Promise<number> =>
    lastRendered > after && lastRendered >= seq
      ? Promise.resolve(lastRendered)
      : new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('the diagram was not drawn in time')), timeoutMs);
          rendered.push((s) => {
            clearTimeout(timer);
            resolve(s);
          });
        });

  const elements = async (opts?: { after?: number }): Promise<DiagramElements | undefined> => {
    if (!panel) return undefined;
    if (!ready || lastRendered < seq || (opts?.after !== undefined && lastRendered <= opts.after)) await drawn(opts?.after ?? 0);
    const m = await ask<Extract<FromWebview, { type: 'elements' }>>({ type: 'elements' });
    return { seq: m.seq, host: m.host, theme: m.theme, elements: m.elements as DiagramElements['elements'] };
  };

  const exportSvg = async (args?: { target?: string }): Promise<string | undefined> => {
    if (!panel) {
      void vscode.window.showInformationMessage('Xen: open the network diagram first (Xen: Show Network Diagram).');
      return undefined;
    }
    const m = await ask<Extract<FromWebview, { type: 'svg' }>>({ type: 'export' });
    if (!m.text) return undefined;
    let target = args?.target ? vscode.Uri.parse(args.target) : undefined;
    if (!target) {
      const base = lastView ? vscode.Uri.parse(lastView.root) : vscode.workspace.workspaceFolders?.[0]?.uri;
      target = await vscode.window.showSaveDialog({
        title: 'Export the network diagram',
        filters: { 'SVG image': ['svg'] },
        defaultUri: base ? vscode.Uri.joinPath(base, `${lastView?.name ?? 'xen'}-network.svg`) : undefined,
      });
      if (!target) return undefined;
    }
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(m.text));
    return target.toString();
  };

  return vscode.Disposable.from(
    refresh,
    onHostsMayHaveChanged(hosts, languages, () => {
      if (panel) refresh();
    }),
    vscode.commands.registerCommand('xen.showNetworkDiagram', show),
    vscode.commands.registerCommand('xen.exportNetworkDiagram', exportSvg),
    vscode.commands.registerCommand('xen.networkDiagram.elements', elements),
    { dispose: () => panel?.dispose() },
  );
}
