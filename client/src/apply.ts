// "Xen: Apply to Host…" and "Xen: Show Apply Script…". The server (xen/apply/prepare) says what
// would be sent and reads what the host has now; this file asks which host, shows a diff per file
// and the commands, asks for confirmation, and runs the ssh command as a task in a terminal named
// after the host, so ssh_config, agents, known_hosts and any password or sudo prompt work as in any
// terminal. It reports the script's exit status in words. Disabled until the workspace is trusted.
//
// Both commands take { host: '<name in xen.hosts>' } as an argument (keybindings, tests).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
// (the answer's shape is the server's own: a type-only import, erased from the bundle)
import type { ApplyPreparation } from '../../server/src/features/apply';
// (writes the run's two files; plain node, no editor code)
import { writeRunFiles } from '../../server/src/apply/runner';

type Preparation = ApplyPreparation;

export interface ApplyOutcome {
  host: string;
  exitCode: number | undefined;
  message: string;
}

const SCHEME = 'xen-host';

export function registerApply(client: LanguageClient): vscode.Disposable {
  // the host's current files, for the left side of the diffs
  const remoteTexts = new Map<string, string>();
  const changed = new vscode.EventEmitter<vscode.Uri>();
  const provider: vscode.TextDocumentContentProvider = {
    onDidChange: changed.event,
    provideTextDocumentContent: (uri) => remoteTexts.get(uri.toString()) ?? '',
  };

  interface Picked {
    entry: Record<string, unknown>;
    name: string;
    folder: vscode.Uri;
    sshConfig?: vscode.Uri;
  }

  const chooseHost = async (wanted: string | undefined): Promise<Picked | undefined> => {
    const entries = (vscode.workspace.getConfiguration('xen').get<unknown[]>('hosts') ?? []).filter(
      (e): e is Record<string, unknown> => !!e && typeof e === 'object' && !Array.isArray(e),
    );
    if (!entries.length) {
      const open = await vscode.window.showErrorMessage('No host to apply to: add one to the setting xen.hosts (a name, an ssh destination and the folder that mirrors the host).', 'Open Settings');
      if (open) await vscode.commands.executeCommand('workbench.action.openSettings', 'xen.hosts');
      return undefined;
    }
    let entry: Record<string, unknown> | undefined;
    if (wanted !== undefined) {
      entry = entries.find((e) => e.name === wanted);
      if (!entry) {
        void vscode.window.showErrorMessage(`No host named ${JSON.stringify(wanted)} in xen.hosts.`);
        return undefined;
      }
    } else if (entries.length === 1) entry = entries[0];
    else {
      const chosen = await vscode.window.showQuickPick(
        entries.map((e) => ({ label: String(e.name ?? '(no name)'), description: String(e.destination ?? ''), detail: String(e.folder ?? ''), e })),
        { title: 'Apply to Host', placeHolder: 'The host to send the setup to' },
      );
      entry = chosen?.e;
    }
    if (!entry) return undefined;
    const base = vscode.workspace.workspaceFolders?.[0]?.uri;
    const folderText = typeof entry.folder === 'string' ? entry.folder : '';
    const folder = path.isAbsolute(folderText) ? vscode.Uri.file(folderText) : base ? vscode.Uri.joinPath(base, folderText) : vscode.Uri.file(path.resolve(folderText));
    const cfg = typeof entry.sshConfig === 'string' && entry.sshConfig ? entry.sshConfig : undefined;
    const sshConfig = cfg === undefined ? undefined : path.isAbsolute(cfg) ? vscode.Uri.file(cfg) : base ? vscode.Uri.joinPath(base, cfg) : vscode.Uri.file(path.resolve(cfg));
    return { entry, name: String(entry.name ?? '?'), folder, sshConfig };
  };

  const prepare = async (picked: Picked, fetch: boolean): Promise<Preparation> =>
    vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: fetch ? `Reading ${picked.name}'s files over ssh…` : `Preparing the script for ${picked.name}…` },
      () => client.sendRequest<Preparation>('xen/apply/prepare', { host: picked.entry, folderUri: picked.folder.toString(), sshConfigUri: picked.sshConfig?.toString(), fetch }),
    );

  const refuse = async (p: Extract<Preparation, { ok: false }>): Promise<void> => {
    const more = p.problems?.slice(0, 3).map((x) => `${vscode.workspace.asRelativePath(vscode.Uri.parse(x.uri))}:${x.line}: ${x.message}`) ?? [];
    const show = await vscode.window.showErrorMessage([...p.errors, ...more].join('\n'), ...(p.problems?.length ? ['Show Problems'] : []));
    if (show) await vscode.commands.executeCommand('workbench.actions.view.problems');
  };

  const saveDirty = async (folder: vscode.Uri): Promise<boolean> => {
    const dirty = vscode.workspace.textDocuments.filter((d) => d.isDirty && d.uri.toString().startsWith(folder.toString() + '/'));
    if (!dirty.length) return true;
    const ok = await vscode.window.showWarningMessage(`${dirty.length} file${dirty.length === 1 ? '' : 's'} of this host ${dirty.length === 1 ? 'has' : 'have'} unsaved changes: save before applying?`, { modal: true }, 'Save and Continue');
    if (!ok) return false;
    for (const d of dirty) await d.save();
    return true;
  };

  const showScript = async (args: { host?: string } = {}): Promise<vscode.TextDocument | undefined> => {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showErrorMessage('Applying to a host is disabled until you trust this workspace.');
      return undefined;
    }
    const picked = await chooseHost(args.host);
    if (!picked) return undefined;
    const p = await prepare(picked, false);
    if (!p.ok) {
      await refuse(p);
      return undefined;
    }
    const doc = await vscode.workspace.openTextDocument({ language: 'shellscript', content: p.script });
    await vscode.window.showTextDocument(doc, { preview: false });
    return doc;
  };

  const apply = async (args: { host?: string } = {}): Promise<ApplyOutcome | undefined> => {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showErrorMessage('Applying to a host is disabled until you trust this workspace.');
      return undefined;
    }
    const picked = await chooseHost(args.host);
    if (!picked || !(await saveDirty(picked.folder))) return undefined;
    const p = await prepare(picked, true);
    if (!p.ok) {
      await refuse(p);
      return undefined;
    }
    // a diff per file that changes: the host's copy on the left, what will be written on the right
    const changing = p.files.filter((f) => f.changes);
    let shown = 0;
    for (const f of changing) {
      if (f.remote?.state !== 'file' && f.remote?.state !== 'missing') continue;
      const left = vscode.Uri.from({ scheme: SCHEME, path: `/${p.hostName}${f.path}` });
      remoteTexts.set(left.toString(), f.remote.state === 'file' ? f.remote.text ?? '' : '');
      changed.fire(left);
      const title = `${f.path}: ${p.hostName}${f.remote.state === 'missing' ? ' (no such file yet)' : ''} ↔ local`;
      await vscode.commands.executeCommand('vscode.diff', left, vscode.Uri.parse(f.localUri), title, { preview: false });
      shown++;
    }
    const lines = [
      p.fetchProblem ? `Note: ${p.fetchProblem}.` : '',
      changing.length ? `Files to write (backed up first): ${changing.map((f) => f.path).join(', ')}.` : 'Every file is already as here.',
      p.commands.length ? `Then: ${p.commands.join('; ')}.` : 'No command to run.',
      `It runs in a terminal with: ssh ${p.destination}.`,
    ].filter(Boolean);
    // (a notification, not a modal dialog: the diffs stay in view while deciding)
    const answer = await vscode.window.showWarningMessage(`Apply to ${p.hostName}?${shown ? ` (${shown} diff${shown === 1 ? '' : 's'} opened)` : ''} ${lines.join(' ')}`, 'Apply', 'Show Script', 'Cancel');
    if (answer === 'Show Script') {
      const doc = await vscode.workspace.openTextDocument({ language: 'shellscript', content: p.script });
      await vscode.window.showTextDocument(doc, { preview: false });
      return undefined;
    }
    if (answer !== 'Apply') return undefined;
    return run(p);
  };

  const run = async (p: Extract<Preparation, { ok: true }>): Promise<ApplyOutcome> => {
    // the runner and the script go into a private folder (0700, files 0600): the terminal's command
    // line is `/bin/sh <folder>/run.sh`, nothing of the files is in an argument (runner.ts)
    const files = writeRunFiles(p.runner, p.script);
    const task = new vscode.Task(
      // (the run's own id: the end of this run is told from any other's, whatever their hosts' names)
      { type: 'xen-apply', host: p.hostName, run: p.runId },
      vscode.workspace.workspaceFolders?.[0] ?? vscode.TaskScope.Workspace,
      p.hostName,
      'Xen',
      new vscode.ProcessExecution(files.argv[0], files.argv.slice(1)),
    );
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, panel: vscode.TaskPanelKind.Dedicated, focus: true, clear: true, echo: false };
    const exitCode = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Applying to ${p.hostName}…`, cancellable: true },
      (_progress, token) =>
        new Promise<number | undefined>((resolve) => {
          let execution: vscode.TaskExecution | undefined;
          const subs: vscode.Disposable[] = [];
          const finish = (code: number | undefined) => {
            for (const s of subs) s.dispose();
            resolve(code);
          };
          subs.push(
            vscode.tasks.onDidEndTaskProcess((e) => {
              if (e.execution === execution || e.execution.task.definition.run === p.runId) finish(e.exitCode);
            }),
            token.onCancellationRequested(() => execution?.terminate()),
          );
          vscode.tasks.executeTask(task).then(
            (x) => (execution = x),
            (err) => {
              files.remove();
              void vscode.window.showErrorMessage(`The terminal for ${p.hostName} could not start: ${err instanceof Error ? err.message : String(err)}`);
              finish(undefined);
            },
          );
        }),
    );
    const message = exitCode === undefined ? 'stopped before it finished' : p.exits[String(exitCode)] ?? `exit status ${exitCode}`;
    const text = `${p.hostName}: ${message}.`;
    if (exitCode !== undefined && p.successes.includes(exitCode)) void vscode.window.showInformationMessage(text);
    else void vscode.window.showErrorMessage(`${text} The terminal holds the whole transcript.`);
    return { host: p.hostName, exitCode, message };
  };

  return vscode.Disposable.from(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, provider),
    vscode.commands.registerCommand('xen.applyToHost', apply),
    vscode.commands.registerCommand('xen.showApplyScript', showScript),
  );
}
