// "Xen: Import Host…" and "Xen: Compare with Host". The server reads the live host over ssh
// (xen/remote/importHost, xen/remote/compareHost: read-only on the host); this file asks the user,
// sends one request, and shows the answer: the imported folder added to the workspace, recorded in
// xen.hosts and opened in the Xen Network view; the files that differ, each opening a diff between
// the host's copy (read-only) and the folder's file. Disabled until the workspace is trusted.
//
// For keybindings and tests, both take their answers as an argument:
//   xen.importHost { destination, port?, identityFile?, sshConfig?, name?, folder?, replace? }
//   (sshConfig: an ssh_config file for ssh -F, absolute or relative to the first workspace folder;
//   recorded with the entry, whose sshConfig Compare and Check Live Host take from user settings only)
//   xen.compareWithHost { host: '<name in xen.hosts>', show?: false }   (or a folder's uri, from the Explorer)
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { plainText } from './text';
import { RemoteCompareRequest, RemoteImportRequest, type HostEntry, type RemoteCompareResult, type RemoteDifference } from '../../server/src/protocol';

const SCHEME = 'xen-host-now';
/** globalState: the folder an import added, whose view is to be opened once the window has it (adding a folder may restart the extension). */
const PENDING_REVEAL = 'xen.importHost.reveal';

export interface ImportArgs {
  destination?: string;
  port?: number;
  identityFile?: string;
  /** An ssh_config file (ssh -F) instead of ~/.ssh/config; given by the caller only, never asked. */
  sshConfig?: string;
  name?: string;
  /** The new folder's path. */
  folder?: string;
  replace?: boolean;
}

function workspaceBase(): vscode.Uri | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}

/** A path of the settings: absolute as it is, else relative to the first workspace folder. */
function resolvePath(p: string): vscode.Uri {
  const base = workspaceBase();
  return path.isAbsolute(p) ? vscode.Uri.file(p) : base ? vscode.Uri.joinPath(base, p) : vscode.Uri.file(path.resolve(p));
}

function entriesOf(): Record<string, unknown>[] {
  return (vscode.workspace.getConfiguration('xen').get<unknown[]>('hosts') ?? []).filter(
    (e): e is Record<string, unknown> => !!e && typeof e === 'object' && !Array.isArray(e),
  );
}

/** Opens the Xen Network view on an imported folder's host, and its interfaces file. */
async function reveal(folder: vscode.Uri): Promise<void> {
  await vscode.commands.executeCommand('xen.networkView.refresh').then(undefined, () => undefined);
  await vscode.commands.executeCommand('xen.networkView.reveal', undefined, { root: folder.toString() }).then(undefined, () => undefined);
  const interfaces = vscode.Uri.joinPath(folder, 'etc', 'network', 'interfaces');
  try {
    await vscode.workspace.fs.stat(interfaces);
    await vscode.window.showTextDocument(interfaces, { preview: false, preserveFocus: true });
  } catch {
    /* the host has no interfaces file: the view alone */
  }
}

export function registerRemote(client: LanguageClient, globalState: vscode.Memento): vscode.Disposable {
  // the host's copies, for the left side of the diffs
  const hostTexts = new Map<string, string>();
  const changed = new vscode.EventEmitter<vscode.Uri>();
  const provider: vscode.TextDocumentContentProvider = { onDidChange: changed.event, provideTextDocumentContent: (uri) => hostTexts.get(uri.toString()) ?? '' };

  const trusted = (): boolean => {
    if (vscode.workspace.isTrusted) return true;
    void vscode.window.showErrorMessage('Connecting to a host is disabled until you trust this workspace.');
    return false;
  };

  const ask = async (args: ImportArgs): Promise<(Required<Pick<ImportArgs, 'destination' | 'name' | 'folder'>> & ImportArgs) | undefined> => {
    const destination =
      args.destination ??
      (await vscode.window.showInputBox({
        title: 'Import Host (1/4)',
        prompt: "The host's ssh destination: user@host, or an alias of ~/.ssh/config (its files are read over ssh, nothing is written on the host)",
        placeHolder: 'root@dom0.example.org',
        ignoreFocusOut: true,
        validateInput: (v) =>
          v.trim() === '' ? 'Give user@host or an ssh alias' : /\s/.test(v) ? 'No spaces' : v.startsWith('-') ? 'Must not start with "-"' : undefined,
      }));
    if (!destination) return undefined;
    let port = args.port;
    if (args.destination === undefined) {
      const p = await vscode.window.showInputBox({
        title: 'Import Host (2/4)',
        prompt: "The ssh port (empty: ssh's default, or the alias's)",
        ignoreFocusOut: true,
        validateInput: (v) => (v === '' || (/^[0-9]{1,5}$/.test(v) && Number(v) >= 1 && Number(v) <= 65535) ? undefined : 'A port from 1 to 65535, or empty'),
      });
      if (p === undefined) return undefined;
      if (p !== '') port = Number(p);
    }
    let identityFile = args.identityFile;
    if (args.destination === undefined) {
      const how = await vscode.window.showQuickPick(
        [
          { label: "ssh's own keys", description: 'the agent, ~/.ssh/config and ~/.ssh/id_*', key: false },
          { label: 'A private key file…', description: 'ssh -i FILE', key: true },
        ],
        { title: 'Import Host (3/4): log in with', ignoreFocusOut: true },
      );
      if (!how) return undefined;
      if (how.key) {
        const picked = await vscode.window.showOpenDialog({
          title: 'The private key to log in with',
          canSelectFiles: true,
          canSelectMany: false,
          openLabel: 'Use This Key',
        });
        if (!picked?.length) return undefined;
        identityFile = picked[0].fsPath;
      }
    }
    const at = destination.lastIndexOf('@');
    const name = args.name ?? destination.slice(at + 1).replace(/^\[|\]$/g, '');
    let folder = args.folder;
    if (folder === undefined) {
      const parent = await vscode.window.showOpenDialog({
        title: `Import Host (4/4): the folder to make ${name}'s folder in`,
        canSelectFolders: true,
        canSelectFiles: false,
        canSelectMany: false,
        defaultUri: workspaceBase(),
        openLabel: 'Import Here',
      });
      if (!parent?.length) return undefined;
      folder = vscode.Uri.joinPath(parent[0], name).fsPath;
    }
    return { ...args, destination, port, identityFile, name, folder };
  };

  /** Records the host in xen.hosts (user settings, or the workspace's when it sets xen.hosts itself): a new entry, or the one of the same folder updated. */
  const record = async (entry: HostEntry): Promise<void> => {
    const config = vscode.workspace.getConfiguration('xen');
    const seen = config.inspect<unknown[]>('hosts');
    const target = seen?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    const current = ((target === vscode.ConfigurationTarget.Workspace ? seen?.workspaceValue : seen?.globalValue) ?? []).filter(
      (e): e is Record<string, unknown> => !!e && typeof e === 'object' && !Array.isArray(e),
    );
    const same = (e: Record<string, unknown>) => typeof e.folder === 'string' && resolvePath(e.folder).fsPath === entry.folder;
    const others = current.filter((e) => !same(e));
    // a name is used once: dom0, dom0-2, ...
    let name = entry.name;
    for (let i = 2; entriesOf().some((e) => e.name === name && !same(e)); i++) name = `${entry.name}-${i}`;
    await config.update('hosts', [...others, { ...entry, name }], target);
  };

  const importHost = async (args: ImportArgs = {}): Promise<{ folder: string; files: string[] } | undefined> => {
    if (!trusted()) return undefined;
    const a = await ask(args);
    if (!a) return undefined;
    const host: HostEntry = { name: a.name, destination: a.destination, folder: a.folder };
    if (a.port !== undefined) host.port = a.port;
    if (a.identityFile !== undefined) host.identityFile = a.identityFile;
    const sshConfigUri = a.sshConfig ? resolvePath(a.sshConfig).toString() : undefined;
    const folderUri = vscode.Uri.file(a.folder);
    const send = (replace: boolean) =>
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Reading ${a.name}'s files over ssh…` }, () =>
        client.sendRequest(RemoteImportRequest, { host, sshConfigUri, folderUri: folderUri.toString(), replace }),
      );
    let r = await send(a.replace === true);
    if (!r.ok && r.reason === 'not-empty' && args.replace === undefined) {
      const yes = await vscode.window.showWarningMessage(
        `${a.folder} is not empty. Write ${a.name}'s files into it (each of the host's files replaces the folder's copy; nothing else changes)?`,
        { modal: true },
        'Replace Its Files',
      );
      if (yes !== 'Replace Its Files') return undefined;
      r = await send(true);
    }
    if (!r.ok) {
      void vscode.window.showErrorMessage(plainText(r.errors.join('\n')));
      return undefined;
    }
    await record(a.sshConfig ? { ...host, sshConfig: a.sshConfig } : host);
    const more = r.skipped.length ? ` Not imported: ${r.skipped.map((s) => `${s.path} (${s.why})`).join('; ')}.` : '';
    void vscode.window.showInformationMessage(
      plainText(`${r.hostName}: ${r.files.length} file${r.files.length === 1 ? '' : 's'} imported into ${a.folder}.${more}`),
    );
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (!folders.some((f) => folderUri.fsPath === f.uri.fsPath || folderUri.fsPath.startsWith(f.uri.fsPath + path.sep))) {
      // (from one folder or none to several, VS Code restarts the extensions: the view opens once it is back)
      await globalState.update(PENDING_REVEAL, folderUri.toString());
      const added = new Promise<boolean>((resolve) => {
        const sub = vscode.workspace.onDidChangeWorkspaceFolders(() => (sub.dispose(), resolve(true)));
        setTimeout(() => (sub.dispose(), resolve(false)), 5000);
      });
      if (!vscode.workspace.updateWorkspaceFolders(folders.length, 0, { uri: folderUri, name: r.hostName })) {
        void vscode.window.showWarningMessage(plainText(`${a.folder} could not be added to the workspace: add it with File > Add Folder to Workspace.`));
      }
      // (not told: the extensions are restarting, and the next start opens the view)
      if (!(await added)) return { folder: a.folder, files: r.files };
    }
    await globalState.update(PENDING_REVEAL, undefined);
    await reveal(folderUri);
    return { folder: a.folder, files: r.files };
  };

  /** The xen.hosts entry to compare: by name, by its folder (from the Explorer), or picked. */
  const chooseEntry = async (arg: { host?: string } | vscode.Uri | undefined): Promise<{ entry: Record<string, unknown>; folder: vscode.Uri } | undefined> => {
    const entries = entriesOf().filter((e) => typeof e.folder === 'string' && typeof e.destination === 'string');
    if (!entries.length) {
      const open = await vscode.window.showErrorMessage(
        'No host to compare with: import one (Xen: Import Host…) or add it to the setting xen.hosts.',
        'Open Settings',
      );
      if (open) await vscode.commands.executeCommand('workbench.action.openSettings', 'xen.hosts');
      return undefined;
    }
    let entry: Record<string, unknown> | undefined;
    if (arg instanceof vscode.Uri) {
      entry = entries.find((e) => resolvePath(e.folder as string).fsPath === arg.fsPath);
      if (!entry) {
        void vscode.window.showErrorMessage(`${arg.fsPath} is not the folder of a host in xen.hosts.`);
        return undefined;
      }
    } else if (arg?.host !== undefined) {
      entry = entries.find((e) => e.name === arg.host);
      if (!entry) {
        void vscode.window.showErrorMessage(`No host named ${JSON.stringify(arg.host)} in xen.hosts.`);
        return undefined;
      }
    } else if (entries.length === 1) entry = entries[0];
    else {
      const chosen = await vscode.window.showQuickPick(
        entries.map((e) => ({ label: String(e.name ?? '(no name)'), description: String(e.destination), detail: String(e.folder), e })),
        { title: 'Compare with Host', placeHolder: 'The host whose files to compare with its folder' },
      );
      entry = chosen?.e;
    }
    if (!entry) return undefined;
    return { entry, folder: resolvePath(entry.folder as string) };
  };

  const openDiff = async (name: string, d: RemoteDifference): Promise<void> => {
    const hostUri = vscode.Uri.from({ scheme: SCHEME, path: `/${name}${d.path}`, query: String(Date.now()) });
    hostTexts.set(hostUri.toString(), d.hostText ?? '');
    changed.fire(hostUri);
    const local = d.localUri ? vscode.Uri.parse(d.localUri) : vscode.Uri.from({ scheme: SCHEME, path: `/${name}/not-in-folder${d.path}` });
    const what = d.state === 'added' ? ' (not in the folder)' : d.state === 'missing' ? ' (not on the host)' : '';
    await vscode.commands.executeCommand('vscode.diff', hostUri, local, `${d.path}: ${name} now ↔ folder${what}`, { preview: false });
  };

  const compare = async (arg?: { host?: string; show?: boolean } | vscode.Uri): Promise<RemoteCompareResult | undefined> => {
    if (!trusted()) return undefined;
    const chosen = await chooseEntry(arg);
    if (!chosen) return undefined;
    let entry = { ...chosen.entry };
    const seen = vscode.workspace.getConfiguration('xen').inspect<unknown[]>('hosts');
    const fromWorkspace = seen?.workspaceFolderValue !== undefined || seen?.workspaceValue !== undefined;
    let sshConfigUri: string | undefined;
    if (typeof entry.sshConfig === 'string' && entry.sshConfig) {
      // (an ssh_config can run commands: taken from user settings only, as Apply to Host does)
      if (!fromWorkspace) sshConfigUri = resolvePath(entry.sshConfig).toString();
      else void vscode.window.showWarningMessage(plainText(`xen.hosts comes from this workspace's settings: its "sshConfig" (${entry.sshConfig}) is ignored.`));
    }
    delete entry.sshConfig;
    if (typeof entry.identityFile === 'string' && entry.identityFile) entry = { ...entry, identityFile: resolvePath(entry.identityFile).fsPath };
    const name = String(entry.name ?? '?');
    const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Reading ${name}'s files over ssh…` }, () =>
      client.sendRequest(RemoteCompareRequest, { host: entry, folderUri: chosen.folder.toString(), sshConfigUri }),
    );
    if (!r.ok) {
      void vscode.window.showErrorMessage(plainText(r.errors.join('\n')));
      return r;
    }
    if (arg instanceof vscode.Uri || arg?.show !== false) {
      if (!r.differences.length) {
        void vscode.window.showInformationMessage(
          plainText(`${r.hostName}: the folder holds the host's ${r.same.length} file${r.same.length === 1 ? '' : 's'} as they are now.`),
        );
        return r;
      }
      const label = { changed: 'changed', added: 'on the host, not in the folder', missing: 'in the folder, not on the host' };
      const icon = { changed: '$(diff-modified)', added: '$(diff-added)', missing: '$(diff-removed)' };
      // a list of the files that differ; each opens a diff, and the list comes back until dismissed
      for (;;) {
        const picked = await vscode.window.showQuickPick(
          r.differences.map((d) => ({ label: `${icon[d.state]} ${d.path}`, description: label[d.state], d })),
          {
            title: `${r.hostName} now ↔ ${vscode.workspace.asRelativePath(chosen.folder)}: ${r.differences.length} file${r.differences.length === 1 ? '' : 's'} differ (${r.same.length} the same)`,
            ignoreFocusOut: true,
          },
        );
        if (!picked) break;
        await openDiff(r.hostName, picked.d);
      }
    }
    return r;
  };

  // an import that added the window's first or second folder restarted the extensions: open its view now
  const pending = globalState.get<string>(PENDING_REVEAL);
  if (pending) {
    void globalState.update(PENDING_REVEAL, undefined);
    const uri = vscode.Uri.parse(pending);
    if ((vscode.workspace.workspaceFolders ?? []).some((f) => f.uri.toString() === uri.toString())) setTimeout(() => void reveal(uri), 1000);
  }

  return vscode.Disposable.from(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, provider),
    vscode.commands.registerCommand('xen.importHost', importHost),
    vscode.commands.registerCommand('xen.compareWithHost', compare),
  );
}
