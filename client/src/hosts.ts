// What the address view and the network diagram share: the hosts of the workspace (folders holding
// an etc/ tree with a host's files) and the server's picture of one (xen/hostView). The client
// only asks; the shapes are server/src/features/hostView.ts's.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

// (the shapes are the server's own: a type-only import, erased from the client's bundle)
import type { HostView, ViewAddress, ViewGuest, ViewInterface, ViewPlace, ViewProblem } from '../../server/src/features/hostView';
export type { HostView, ViewAddress, ViewGuest, ViewInterface, ViewPlace, ViewProblem };
export interface ProtocolRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export const HOST_VIEW_REQUEST = 'xen/hostView';

/** The host root of a file's uri: the uri before its last `/etc/` (undefined when it has none). */
export function rootOf(uri: vscode.Uri): string | undefined {
  const s = uri.toString();
  const i = s.lastIndexOf('/etc/');
  return i < 0 ? undefined : s.slice(0, i);
}

/** The host roots of the workspace, sorted: every folder holding etc/network/interfaces, xen config or domain files. */
export async function findHosts(): Promise<string[]> {
  const found = await vscode.workspace.findFiles('**/etc/{network/interfaces,xen/*.sxp,xen/xl.conf,xen/*.cfg}', '**/{node_modules,.git}/**', 2000);
  const roots = new Set<string>();
  for (const u of found) {
    const r = rootOf(u);
    if (r !== undefined) roots.add(r);
  }
  return [...roots].sort();
}

export async function fetchHostView(client: LanguageClient, root: string): Promise<HostView | null> {
  try {
    return await client.sendRequest<HostView | null>(HOST_VIEW_REQUEST, { root });
  } catch {
    return null;
  }
}

export function toRange(r: ProtocolRange): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

/** Opens the file of a place with the place selected. */
export async function reveal(place: ViewPlace): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(place.uri));
  await vscode.window.showTextDocument(doc, { selection: toRange(place.range), preview: false });
}

/** Calls fn at most once per `ms` after the last of a burst of calls. */
export function debounce(fn: () => void, ms: number): { (): void; dispose(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const call = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      fn();
    }, ms);
  };
  call.dispose = () => {
    if (timer) clearTimeout(timer);
  };
  return call;
}

/** Events after which a host's picture may have changed: diagnostics, edits of our files, files created or deleted, editor switches. */
export function onHostsMayHaveChanged(languages: readonly string[], fire: () => void): vscode.Disposable {
  const watcher = vscode.workspace.createFileSystemWatcher('**/etc/**');
  return vscode.Disposable.from(
    watcher,
    watcher.onDidCreate(fire),
    watcher.onDidDelete(fire),
    watcher.onDidChange(fire),
    vscode.languages.onDidChangeDiagnostics(fire),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (languages.includes(e.document.languageId) && e.contentChanges.length) fire();
    }),
    vscode.window.onDidChangeActiveTextEditor(fire),
  );
}
