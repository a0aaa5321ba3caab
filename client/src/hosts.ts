// What the address view, the network diagram and the generate commands share: the hosts of the
// workspace as the server knows them (xen/hosts), the server's picture of one (xen/hostView), and
// the watch over the hosts' files, whose events go to the server (workspace/didChangeWatchedFiles)
// and to the views. The client only asks: what a host is, and where, is the server's.
import * as vscode from 'vscode';
import { DidChangeWatchedFilesNotification, FileChangeType, type FileEvent, type LanguageClient } from 'vscode-languageclient/node';
import { HostsRequest, HostViewRequest, type HostView, type HostViewParams, type ViewPlace, type WorkspaceHost } from '../../server/src/protocol';

export type { HostView, ViewAddress, ViewGuest, ViewInterface, ViewPlace, ViewProblem, WorkspaceHost } from '../../server/src/protocol';

/**
 * The hosts of the workspace and the watch over their files. The list is the server's answer,
 * kept until a watched file is created or deleted, the workspace folders change, or a view asks
 * afresh; the watch uses the globs of the server's first answer.
 */
export class WorkspaceHosts implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** A file of a host was created, changed or deleted on disk. */
  readonly onDidChangeFiles = this.changed.event;
  private listing: Promise<WorkspaceHost[]> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [this.changed];
  private pending: FileEvent[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly client: LanguageClient) {
    // (the server learns the new folders a moment later, asking the editor for them: ask again then too)
    this.subscriptions.push(
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.forget();
        const later = setTimeout(() => {
          this.forget();
          this.changed.fire();
        }, 1000);
        this.subscriptions.push({ dispose: () => clearTimeout(later) });
      }),
    );
  }

  /** Asks the server where the hosts are and starts watching the files it names. */
  async start(): Promise<void> {
    const answer = await this.client.sendRequest(HostsRequest, {});
    this.listing = Promise.resolve(answer.hosts);
    for (const glob of answer.watch) {
      const w = vscode.workspace.createFileSystemWatcher(glob);
      this.subscriptions.push(
        w,
        w.onDidCreate((u) => this.event(u, FileChangeType.Created)),
        w.onDidChange((u) => this.event(u, FileChangeType.Changed)),
        w.onDidDelete((u) => this.event(u, FileChangeType.Deleted)),
      );
    }
  }

  /** The hosts of the workspace, sorted by root (the server's answer; [] when it gave none). */
  list(fresh = false): Promise<WorkspaceHost[]> {
    if (fresh) this.forget();
    return (this.listing ??= this.client.sendRequest(HostsRequest, {}).then(
      (r) => r.hosts,
      () => {
        this.listing = undefined;
        return [];
      },
    ));
  }

  /** Drops the list: the next one is asked for. */
  forget(): void {
    this.listing = undefined;
  }

  private event(uri: vscode.Uri, type: FileChangeType): void {
    if (type !== FileChangeType.Changed) this.forget();
    // (sent to the server in batches, as the language client sends its own watchers' events)
    this.pending.push({ uri: this.client.code2ProtocolConverter.asUri(uri), type });
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const changes = this.pending.splice(0);
      if (changes.length) this.client.sendNotification(DidChangeWatchedFilesNotification.type, { changes }).catch(() => undefined);
    }, 100);
    this.changed.fire();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
  }
}

/** The params that ask xen/hostView for a host of the list. */
export function viewParamsOf(host: WorkspaceHost): HostViewParams {
  return { uri: host.uri };
}

export async function fetchHostView(client: LanguageClient, params: HostViewParams): Promise<HostView | null> {
  try {
    return await client.sendRequest(HostViewRequest, params);
  } catch {
    return null;
  }
}

export function toRange(r: ViewPlace['range']): vscode.Range {
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

/** Events after which a host's picture may have changed: diagnostics, edits of our files, the hosts' files on disk, editor switches. */
export function onHostsMayHaveChanged(hosts: WorkspaceHosts, languages: readonly string[], fire: () => void): vscode.Disposable {
  return vscode.Disposable.from(
    hosts.onDidChangeFiles(fire),
    vscode.languages.onDidChangeDiagnostics(fire),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (languages.includes(e.document.languageId) && e.contentChanges.length) fire();
    }),
    vscode.window.onDidChangeActiveTextEditor(fire),
  );
}
