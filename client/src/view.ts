// The "Xen Network" view in the Explorer: per host, its routed subnet, then every address of the
// subnet in order with its role (network, gateway, guest, free, broadcast) as the server's
// xen/hostView tells it; an icon for an address with problems; a click opens the line that
// defines the address; "Add Guest Here" on a free one runs xen.addGuest with that address.
import * as vscode from 'vscode';
import { mdText } from './text';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  debounce,
  fetchHostView,
  onHostsMayHaveChanged,
  viewParamsOf,
  type HostView,
  type ViewAddress,
  type ViewPlace,
  type ViewProblem,
  type WorkspaceHosts,
} from './hosts';

export const VIEW_ID = 'xenNetwork';

type Node =
  | { kind: 'host'; view: HostView }
  | { kind: 'subnet'; view: HostView }
  | { kind: 'address'; view: HostView; address: ViewAddress }
  | { kind: 'more'; view: HostView }
  | { kind: 'live'; view: HostView }
  | { kind: 'liveItem'; view: HostView; index: number; problem?: ViewProblem; note?: string }
  | { kind: 'none'; root: string };

/** An item of the view as the test command describes it. */
export interface ViewItemDescription {
  depth: number;
  label: string;
  description: string;
  contextValue: string;
  icon: string;
  uri?: string;
  line?: number;
  problems: string[];
}

const ROLE_ICONS: Record<ViewAddress['role'], string> = {
  network: 'symbol-numeric',
  gateway: 'globe',
  interface: 'plug',
  guest: 'vm',
  free: 'circle-large-outline',
  broadcast: 'broadcast',
  outside: 'warning',
};

function worst(problems: ViewProblem[]): 'error' | 'warning' | undefined {
  if (problems.some((p) => p.severity === 'error')) return 'error';
  if (problems.length) return 'warning';
  return undefined;
}

function problemIcon(problems: ViewProblem[]): vscode.ThemeIcon | undefined {
  const w = worst(problems);
  if (w === 'error') return new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
  if (w === 'warning') return new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
  return undefined;
}

function openCommand(place: ViewPlace | undefined, title: string): vscode.Command | undefined {
  if (!place) return undefined;
  const r = place.range;
  return {
    command: 'vscode.open',
    title,
    arguments: [
      vscode.Uri.parse(place.uri),
      { selection: new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character), preview: false } satisfies vscode.TextDocumentShowOptions,
    ],
  };
}

function problemsMarkdown(problems: ViewProblem[]): string {
  return problems.map((p) => `- $(${p.severity === 'error' ? 'error' : 'warning'}) ${mdText(p.message)} \`${p.code}\``).join('\n');
}

class Provider implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private hosts: Node[] | undefined;
  private loading: Promise<Node[]> | undefined;
  message: string | undefined;

  constructor(
    private readonly client: LanguageClient,
    private readonly workspaceHosts: WorkspaceHosts,
    private readonly onMessage: (m: string | undefined) => void,
  ) {}

  /** Asks again; `fresh`: the list of hosts too (it is otherwise kept until a host's file is created or deleted). */
  refresh(fresh = false): void {
    if (fresh) this.workspaceHosts.forget();
    this.hosts = undefined;
    this.loading = undefined;
    this.changed.fire(undefined);
  }

  private async load(): Promise<Node[]> {
    const hosts = await this.workspaceHosts.list();
    const out: Node[] = [];
    for (const h of hosts) {
      const view = await fetchHostView(this.client, viewParamsOf(h));
      out.push(view ? { kind: 'host', view } : { kind: 'none', root: h.root });
    }
    this.onMessage(
      out.length
        ? undefined
        : 'No Xen host in this workspace: a host is a folder holding etc/network/interfaces, etc/xen/xend-config.sxp, xl.conf or domain files.',
    );
    return out;
  }

  async roots(): Promise<Node[]> {
    if (this.hosts) return this.hosts;
    const loading = (this.loading ??= this.load());
    const hosts = await loading;
    if (this.loading === loading) this.hosts = hosts;
    return hosts;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) return this.roots();
    if (node.kind === 'live') {
      const live = node.view.live;
      if (!live) return [];
      return [
        ...live.findings.map((problem, index): Node => ({ kind: 'liveItem', view: node.view, index, problem })),
        ...live.notes.map((note, i): Node => ({ kind: 'liveItem', view: node.view, index: live.findings.length + i, note })),
      ];
    }
    if (node.kind !== 'host') return [];
    const v = node.view;
    const out: Node[] = [{ kind: 'subnet', view: v }];
    for (const a of v.addresses) out.push({ kind: 'address', view: v, address: a });
    if (v.unlisted > 0) out.push({ kind: 'more', view: v });
    if (v.live) out.push({ kind: 'live', view: v });
    return out;
  }

  getParent(node: Node): Node | undefined {
    if (node.kind === 'liveItem') return { kind: 'live', view: node.view };
    return node.kind === 'subnet' || node.kind === 'address' || node.kind === 'more' || node.kind === 'live' ? { kind: 'host', view: node.view } : undefined;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'none': {
        const item = new vscode.TreeItem(vscode.Uri.parse(node.root).path.split('/').pop() || node.root);
        item.description = 'the language server did not answer';
        item.iconPath = new vscode.ThemeIcon('server');
        return item;
      }
      case 'host': {
        const v = node.view;
        const item = new vscode.TreeItem(v.name, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `host:${v.root}`;
        item.description = [v.mode === 'unknown' ? 'mode unknown' : v.mode, v.subnet ?? 'no routed subnet'].join(' ');
        item.tooltip = new vscode.MarkdownString(
          `**${mdText(v.name)}** — ${mdText(vscode.Uri.parse(v.root).fsPath)}\n\n${v.problems.length} problem${v.problems.length === 1 ? '' : 's'}${v.problems.length ? '\n\n' + problemsMarkdown(v.problems) : ''}`,
          true,
        );
        item.iconPath = problemIcon(v.problems) ?? new vscode.ThemeIcon('server');
        item.contextValue = 'xenHost';
        return item;
      }
      case 'subnet': {
        const v = node.view;
        const item = new vscode.TreeItem(v.subnet ?? 'no routed subnet');
        item.id = `subnet:${v.root}`;
        item.description = v.subnet ? `${v.mode} · ${v.free} of ${v.usable} free` : v.source;
        item.tooltip = v.subnet ? `Routed subnet ${v.subnet}, from ${v.source}.` : v.source;
        item.iconPath = new vscode.ThemeIcon('type-hierarchy');
        item.command = openCommand(v.subnetPlace, 'Open the line that defines the subnet');
        item.contextValue = 'xenSubnet';
        return item;
      }
      case 'address': {
        const a = node.address;
        const item = new vscode.TreeItem(a.address);
        item.id = `address:${node.view.root}:${a.address}`;
        item.description = a.label;
        const md = new vscode.MarkdownString(`**${mdText(a.address)}**: ${mdText(a.label)}`, true);
        if (a.problems.length) md.appendMarkdown('\n\n' + problemsMarkdown(a.problems));
        if (a.role === 'free') md.appendMarkdown('\n\nRight-click: **Add Guest Here**.');
        item.tooltip = md;
        item.iconPath = problemIcon(a.problems) ?? new vscode.ThemeIcon(ROLE_ICONS[a.role]);
        item.command = openCommand(a.place, 'Open the line that defines this address');
        item.contextValue = `xenAddress.${a.role}`;
        return item;
      }
      case 'live': {
        // what the running host said when it was last checked (Xen: Check Live Host)
        const live = node.view.live!;
        const n = live.findings.length;
        const item = new vscode.TreeItem(`Live: ${live.hostName}`, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `live:${node.view.root}`;
        item.description = `${n ? `${n} difference${n === 1 ? '' : 's'} from the files` : 'as the files say'} · ${new Date(live.at).toLocaleTimeString()}`;
        item.tooltip = `What ${live.hostName}${live.destination ? ` (${live.destination})` : ''} said at ${live.at}. Check again: Xen: Check Live Host.`;
        item.iconPath = problemIcon(live.findings) ?? new vscode.ThemeIcon('pulse');
        item.contextValue = 'xenLive';
        return item;
      }
      case 'liveItem': {
        const p = node.problem;
        const item = new vscode.TreeItem(p ? p.message : (node.note ?? ''));
        item.id = `live:${node.view.root}:${node.index}`;
        item.description = p ? `${p.code} · ${p.uri.slice(p.uri.lastIndexOf('/') + 1)}:${p.range.start.line + 1}` : '';
        item.tooltip = p ? `${p.message} (${p.code})` : node.note;
        item.iconPath = p ? problemIcon([p]) : new vscode.ThemeIcon('info');
        item.command = p ? openCommand({ uri: p.uri, range: p.range }, 'Open the line concerned') : undefined;
        item.contextValue = p ? 'xenLiveFinding' : 'xenLiveNote';
        return item;
      }
      case 'more': {
        const item = new vscode.TreeItem(`… ${node.view.unlisted} more free addresses`);
        item.id = `more:${node.view.root}`;
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.contextValue = 'xenMore';
        return item;
      }
    }
  }
}

function iconId(icon: vscode.TreeItem['iconPath']): string {
  return icon instanceof vscode.ThemeIcon ? icon.id : '';
}

/** Set in a workspace's state once its Xen Network view has been shown to the user. */
const INTRODUCED = 'xen.networkView.introduced';

export function registerNetworkView(
  client: LanguageClient,
  hosts: WorkspaceHosts,
  languages: readonly string[],
  workspaceState: vscode.Memento,
): vscode.Disposable {
  let tree: vscode.TreeView<Node> | undefined;
  const provider = new Provider(client, hosts, (m) => {
    if (tree) tree.message = m;
  });
  tree = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  const refresh = debounce(() => provider.refresh(), 250);

  // The Explorer keeps the views of extensions collapsed until someone opens them. The first time
  // a workspace shows a Xen host, its view is opened once (its section expanded, the focus given
  // back to the editor); after that the user's layout is left as they make it.
  const introduce = async (): Promise<void> => {
    if (workspaceState.get(INTRODUCED) || !(await provider.roots()).some((n) => n.kind === 'host')) return;
    await workspaceState.update(INTRODUCED, true);
    const hadEditor = !!vscode.window.activeTextEditor;
    await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
    if (hadEditor) await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
  };
  let pending = false;
  const introduceSoon = (): void => {
    if (pending || workspaceState.get(INTRODUCED)) return;
    pending = true;
    setTimeout(() => {
      pending = false;
      void introduce();
    }, 500);
  };
  introduceSoon();

  /** Every item of the view, depth first (for tests and for anyone scripting the editor). */
  const describeItems = async (): Promise<ViewItemDescription[]> => {
    const out: ViewItemDescription[] = [];
    const walk = async (nodes: Node[], depth: number) => {
      for (const n of nodes) {
        const item = provider.getTreeItem(n);
        const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
        const place = n.kind === 'address' ? n.address.place : n.kind === 'subnet' ? n.view.subnetPlace : n.kind === 'liveItem' ? n.problem : undefined;
        const problems =
          n.kind === 'address' ? n.address.problems : n.kind === 'host' ? n.view.problems : n.kind === 'liveItem' && n.problem ? [n.problem] : [];
        const d: ViewItemDescription = {
          depth,
          label,
          description: typeof item.description === 'string' ? item.description : '',
          contextValue: item.contextValue ?? '',
          icon: iconId(item.iconPath),
          problems: problems.map((p) => p.code),
        };
        if (place) {
          d.uri = place.uri;
          d.line = place.range.start.line;
        }
        out.push(d);
        await walk(await provider.getChildren(n), depth + 1);
      }
    };
    await walk(await provider.getChildren(), 0);
    return out;
  };

  return vscode.Disposable.from(
    tree,
    refresh,
    onHostsMayHaveChanged(hosts, languages, () => {
      refresh();
      introduceSoon();
    }),
    vscode.commands.registerCommand('xen.networkView.refresh', () => provider.refresh(true)),
    vscode.commands.registerCommand('xen.networkView.addGuestHere', (node?: Node) => {
      if (node?.kind !== 'address' || node.address.role !== 'free') return false;
      return vscode.commands.executeCommand('xen.addGuest', { root: node.view.root, address: node.address.address });
    }),
    // the view's items as data; `fresh` drops what was shown and asks the server again
    vscode.commands.registerCommand('xen.networkView.items', async (opts?: { fresh?: boolean }) => {
      if (opts?.fresh) provider.refresh(true);
      return describeItems();
    }),
    // reveals the view in the Explorer, and in it a host (the first, or the one whose folder is
    // `where.root`: Import Host) and its item for an address, or its Live rows (Check Live Host)
    vscode.commands.registerCommand('xen.networkView.reveal', async (address?: string, where?: { root?: string; live?: boolean }) => {
      // (the view's own focus command opens its section first, even when it is collapsed)
      await vscode.commands.executeCommand('xenNetwork.focus');
      const root = typeof where?.root === 'string' ? vscode.Uri.parse(where.root).fsPath : undefined;
      // (a live check's answer is in the server's view of the host, not yet in the rows shown)
      if (where?.live) provider.refresh();
      for (const h of await provider.roots()) {
        if (h.kind !== 'host' || (root !== undefined && vscode.Uri.parse(h.view.root).fsPath !== root)) continue;
        const children = await provider.getChildren(h);
        let target = children.find((c) => c.kind === 'address' && c.address.address === address) ?? h;
        const live = where?.live ? children.find((c) => c.kind === 'live') : undefined;
        // (its first finding: the Live row stays in sight above it)
        if (live) target = (await provider.getChildren(live))[0] ?? live;
        await tree!.reveal(target, { select: !!address || !!live, focus: false, expand: true });
        return true;
      }
      return false;
    }),
  );
}
