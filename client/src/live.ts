// "Xen: Check Live Host": asks the server (xen/live/check) to read what a running host says of its
// network, without changing anything, and to compare it with the host's files. The host is a
// xen.hosts entry (read over ssh by the server, after the user agreed to what ssh runs here, as for
// Apply), or this machine (the host the server runs on, e.g. dom0 opened over Remote-SSH). The
// findings are published on the files' lines (live/* diagnostics) and listed in the Xen Network view.
//
// Takes { host: '<name in xen.hosts>' } or { local: true, uri?: '<a file of the host>' } as an argument (tests, keybindings).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ApplyInspectRequest, LiveCheckRequest, type HostEntry, type LiveCheck, type LiveCheckParams } from '../../server/src/protocol';
import type { WorkspaceHosts } from './hosts';
import { plainText } from './text';

export function registerLiveCheck(client: LanguageClient, hosts: WorkspaceHosts): vscode.Disposable {
  /** What the user agreed to before connecting, per host name (as Apply asks). */
  const approved = new Map<string, string>();

  const resolve = (p: string): vscode.Uri => {
    const base = vscode.workspace.workspaceFolders?.[0]?.uri;
    return path.isAbsolute(p) ? vscode.Uri.file(p) : base ? vscode.Uri.joinPath(base, p) : vscode.Uri.file(path.resolve(p));
  };

  /** The params for an entry of xen.hosts; its sshConfig only from user settings (a workspace's could run commands here). */
  const sshParams = (entry: Record<string, unknown>): LiveCheckParams => {
    const seen = vscode.workspace.getConfiguration('xen').inspect<unknown[]>('hosts');
    const fromWorkspace = seen?.workspaceFolderValue !== undefined || seen?.workspaceValue !== undefined;
    const host: HostEntry = { ...entry };
    const cfg = typeof entry.sshConfig === 'string' && entry.sshConfig && !fromWorkspace ? entry.sshConfig : undefined;
    if (fromWorkspace) delete host.sshConfig;
    const params: LiveCheckParams = { root: resolve(typeof entry.folder === 'string' ? entry.folder : '').toString(), host };
    if (cfg) params.sshConfigUri = resolve(cfg).toString();
    return params;
  };

  const agree = async (name: string, params: LiveCheckParams): Promise<boolean> => {
    const seen = await client.sendRequest(ApplyInspectRequest, { host: params.host ?? {}, sshConfigUri: params.sshConfigUri });
    if (!seen.ok) {
      void vscode.window.showErrorMessage(plainText(seen.errors.join('\n')));
      return false;
    }
    const runs = [...seen.matchExec.map((l) => `Match exec: ${l}`), ...seen.commands];
    const key = JSON.stringify([seen.destination, seen.configFile, seen.files, runs]);
    if (approved.get(name) === key) return true;
    const words = `Read the running network of ${name} (${seen.destination}) over ssh? Nothing is changed on the host. ${
      runs.length ? `On this machine ssh will run: ${runs.join(' | ')}` : 'Its ssh configuration runs no command on this machine.'
    }`;
    if ((await vscode.window.showWarningMessage(plainText(words), 'Connect', 'Cancel')) !== 'Connect') return false;
    approved.set(name, key);
    return true;
  };

  const pick = async (args: { host?: string; local?: boolean; uri?: string }): Promise<{ name: string; params: LiveCheckParams } | undefined> => {
    const entries = (vscode.workspace.getConfiguration('xen').get<unknown[]>('hosts') ?? []).filter(
      (e): e is Record<string, unknown> => !!e && typeof e === 'object' && !Array.isArray(e) && typeof (e as Record<string, unknown>).destination === 'string',
    );
    const local = await hosts.list();
    if (args.host !== undefined) {
      const e = entries.find((x) => x.name === args.host);
      if (!e) void vscode.window.showErrorMessage(`No host named ${JSON.stringify(args.host)} in xen.hosts.`);
      return e ? { name: String(e.name), params: sshParams(e) } : undefined;
    }
    if (args.local) {
      const uri = args.uri ?? local[0]?.uri;
      return uri ? { name: 'this machine', params: { uri } } : undefined;
    }
    type Item = vscode.QuickPickItem & { choice: { name: string; params: LiveCheckParams } };
    const items: Item[] = [
      ...entries.map((e) => ({
        label: String(e.name ?? '?'),
        description: `over ssh: ${String(e.destination)}`,
        detail: `compared with ${String(e.folder ?? '')}`,
        choice: { name: String(e.name ?? '?'), params: sshParams(e) },
      })),
      ...local.map((h) => ({
        label: 'This machine',
        description: 'where the language server runs',
        detail: `compared with ${vscode.workspace.asRelativePath(vscode.Uri.parse(h.root))}`,
        choice: { name: 'this machine', params: { uri: h.uri } },
      })),
    ];
    if (!items.length) {
      void vscode.window.showErrorMessage("No host to check: open a folder holding a host's files, or add a host to the setting xen.hosts.");
      return undefined;
    }
    const chosen =
      items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { title: 'Check Live Host', placeHolder: 'The running host to read' });
    return chosen?.choice;
  };

  const check = async (args: { host?: string; local?: boolean; uri?: string } = {}): Promise<LiveCheck | undefined> => {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showErrorMessage('Checking a live host is disabled until you trust this workspace.');
      return undefined;
    }
    const picked = await pick(args);
    if (!picked) return undefined;
    if (picked.params.host && !(await agree(picked.name, picked.params))) return undefined;
    const answer = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Reading the running network of ${picked.name}…`, cancellable: true },
      (_p, token) => client.sendRequest(LiveCheckRequest, { ...picked.params, timeoutMs: 30_000 }, token),
    );
    if (!answer.ok) {
      void vscode.window.showErrorMessage(plainText(`Check Live Host: ${answer.errors.join('; ')}`));
      return answer;
    }
    // the view shows what the host said, under the host (its Live rows)
    void vscode.commands.executeCommand('xen.networkView.reveal', undefined, { root: answer.root, live: true }).then(undefined, () => undefined);
    const n = answer.findings.length;
    const text = n
      ? `${picked.name}: ${n} difference${n === 1 ? '' : 's'} between the running host and its files (${answer.findings.map((f) => f.code).join(', ')}).`
      : `${picked.name}: the running network is as the files say.`;
    const more = answer.notes.length ? ` ${answer.notes.join('; ')}.` : '';
    const show = await (n ? vscode.window.showWarningMessage : vscode.window.showInformationMessage)(plainText(text + more), ...(n ? ['Show Problems'] : []));
    if (show) await vscode.commands.executeCommand('workbench.actions.view.problems');
    return answer;
  };

  return vscode.commands.registerCommand('xen.checkLiveHost', check);
}
