// "Xen: Apply to Host…" and "Xen: Show Apply Script…". The server (xen/apply/prepare) says what
// would be sent and reads what the host has now; this file asks which host, shows a diff per file
// and the commands, asks for confirmation, has the server write the run's files
// (xen/apply/runFiles) and runs them as a task in a terminal named after the host, so ssh_config,
// agents, known_hosts and any password or sudo prompt work as in any terminal. It reports the
// script's exit status in words. Disabled until the workspace is trusted.
//
// Both commands take { host: '<name in xen.hosts>' } as an argument (keybindings, tests).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { plainText } from './text';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { WorkspaceHosts } from './hosts';
import {
  ApplyDiscardRunNotification,
  ApplyHerePrepareRequest,
  ApplyInspectRequest,
  ApplyPrepareRequest,
  ApplyRunFilesRequest,
  type ApplyPreparation as Preparation,
  type HostEntry,
} from '../../server/src/protocol';

export interface ApplyOutcome {
  host: string;
  exitCode: number | undefined;
  message: string;
}

const SCHEME = 'xen-host';

export function registerApply(client: LanguageClient, hosts?: WorkspaceHosts): vscode.Disposable {
  // the host's current files, for the left side of the diffs
  const remoteTexts = new Map<string, string>();
  const changed = new vscode.EventEmitter<vscode.Uri>();
  const provider: vscode.TextDocumentContentProvider = {
    onDidChange: changed.event,
    provideTextDocumentContent: (uri) => remoteTexts.get(uri.toString()) ?? '',
  };

  interface Picked {
    entry: HostEntry;
    name: string;
    folder: vscode.Uri;
    sshConfig?: vscode.Uri;
  }

  // what the user agreed to before a first connection, per host (destination, config, commands)
  const approved = new Map<string, string>();

  const chooseHost = async (wanted: string | undefined): Promise<Picked | undefined> => {
    const config = vscode.workspace.getConfiguration('xen');
    const entries = (config.get<unknown[]>('hosts') ?? []).filter((e): e is Record<string, unknown> => !!e && typeof e === 'object' && !Array.isArray(e));
    // xen.hosts from the workspace (its .vscode/settings.json, a folder's): its sshConfig is not taken
    const seen = config.inspect<unknown[]>('hosts');
    const fromWorkspace = seen?.workspaceFolderValue !== undefined || seen?.workspaceValue !== undefined;
    if (!entries.length) {
      const open = await vscode.window.showErrorMessage(
        'No host to apply to: add one to the setting xen.hosts (a name, an ssh destination and the folder that mirrors the host).',
        'Open Settings',
      );
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
    const folder = path.isAbsolute(folderText)
      ? vscode.Uri.file(folderText)
      : base
        ? vscode.Uri.joinPath(base, folderText)
        : vscode.Uri.file(path.resolve(folderText));
    let cfg = typeof entry.sshConfig === 'string' && entry.sshConfig ? entry.sshConfig : undefined;
    if (cfg !== undefined && fromWorkspace) {
      void vscode.window.showWarningMessage(
        plainText(
          `xen.hosts comes from this workspace's settings: its "sshConfig" (${cfg}) is ignored, since an ssh_config can run commands on this machine (ProxyCommand, LocalCommand, Match exec). Set sshConfig in your user settings to use it.`,
        ),
      );
      cfg = undefined;
      entry = { ...entry };
      delete entry.sshConfig;
    }
    // (a relative identityFile is the workspace folder's, as sshConfig is)
    if (typeof entry.identityFile === 'string' && entry.identityFile && !path.isAbsolute(entry.identityFile)) {
      entry = { ...entry, identityFile: base ? vscode.Uri.joinPath(base, entry.identityFile).fsPath : path.resolve(entry.identityFile) };
    }
    const sshConfig =
      cfg === undefined ? undefined : path.isAbsolute(cfg) ? vscode.Uri.file(cfg) : base ? vscode.Uri.joinPath(base, cfg) : vscode.Uri.file(path.resolve(cfg));
    return { entry, name: String(entry.name ?? '?'), folder, sshConfig };
  };

  const prepare = async (picked: Picked, fetch: boolean): Promise<Preparation> =>
    vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: fetch ? `Reading ${picked.name}'s files over ssh…` : `Preparing the script for ${picked.name}…`,
      },
      () =>
        client.sendRequest(ApplyPrepareRequest, {
          host: picked.entry,
          folderUri: picked.folder.toString(),
          sshConfigUri: picked.sshConfig?.toString(),
          workspaceFolderUris: (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.toString()),
          fetch,
        }),
    );

  /** Before the first connection to a host: where ssh goes and what its configuration runs here; the user agrees or not. */
  const agreeToConnect = async (picked: Picked): Promise<boolean> => {
    const seen = await client.sendRequest(ApplyInspectRequest, { host: picked.entry, sshConfigUri: picked.sshConfig?.toString() });
    if (!seen.ok) {
      void vscode.window.showErrorMessage(plainText(seen.errors.join('\n')));
      return false;
    }
    const lines: string[] = [];
    const where = seen.evaluated ? `${seen.user ?? '?'}@${seen.hostname ?? '?'} port ${seen.port ?? '22'}` : seen.destination;
    lines.push(
      `ssh (${seen.ssh}) connects to ${seen.destination}${seen.evaluated ? ` (${where})` : ''}, reading ${seen.files.length ? seen.files.join(', ') : 'no ssh_config file'}.`,
    );
    const inWorkspace = seen.configFile && (vscode.workspace.workspaceFolders ?? []).some((f) => seen.configFile!.startsWith(f.uri.fsPath + path.sep));
    if (inWorkspace)
      lines.push(`Warning: the ssh_config ${seen.configFile} lies inside the workspace: whoever can change the workspace can change what ssh runs.`);
    if (seen.matchExec.length)
      lines.push(
        `It holds Match exec lines, which ssh runs while reading its configuration (ssh -G was not run, so that they did not run): ${seen.matchExec.join(' | ')}`,
      );
    if (seen.commands.length) lines.push(`On this machine it will run: ${seen.commands.join(' | ')}`);
    else if (seen.evaluated) lines.push('Its configuration runs no command on this machine (no ProxyCommand, LocalCommand, KnownHostsCommand or ProxyJump).');
    if (seen.error) lines.push(`ssh -G: ${seen.error}`);
    const key = JSON.stringify([seen.destination, seen.configFile, seen.files, seen.matchExec, seen.commands, where]);
    if (approved.get(picked.name) === key) return true;
    // (a notification, as the Apply question is: the user presses Connect or nothing connects)
    const answer = await vscode.window.showWarningMessage(plainText(`Connect to ${picked.name}? ${lines.join(' ')}`), 'Connect', 'Cancel');
    if (answer !== 'Connect') return false;
    approved.set(picked.name, key);
    return true;
  };

  const refuse = async (p: Extract<Preparation, { ok: false }>): Promise<void> => {
    const more = p.problems?.slice(0, 3).map((x) => `${vscode.workspace.asRelativePath(vscode.Uri.parse(x.uri))}:${x.line}: ${x.message}`) ?? [];
    const show = await vscode.window.showErrorMessage(plainText([...p.errors, ...more].join('\n')), ...(p.problems?.length ? ['Show Problems'] : []));
    if (show) await vscode.commands.executeCommand('workbench.actions.view.problems');
  };

  type Ready = Extract<Preparation, { ok: true }>;

  /** The exact script in an editor, to review or run by hand. */
  const openScript = async (script: string): Promise<vscode.TextDocument> => {
    const doc = await vscode.workspace.openTextDocument({ language: 'shellscript', content: script });
    await vscode.window.showTextDocument(doc, { preview: false });
    return doc;
  };

  /**
   * A diff per file that changes (those `only` keeps): the copy now on the left, on the right a
   * read-only snapshot of exactly what the script writes (not the live file: an edit after this
   * would not be sent). `sides` names the two in the uris. Returns how many diffs were opened.
   */
  const openDiffs = async (
    p: Ready,
    sides: { now: string; next: string },
    title: (f: Ready['files'][number]) => string,
    only: (f: Ready['files'][number]) => boolean = () => true,
  ): Promise<number> => {
    let shown = 0;
    for (const f of p.files) {
      if (!f.changes || !only(f)) continue;
      const left = vscode.Uri.from({ scheme: SCHEME, path: `/${p.hostName}/${sides.now}${f.path}`, query: p.runId });
      const right = vscode.Uri.from({ scheme: SCHEME, path: `/${p.hostName}/${sides.next}${f.path}`, query: p.runId });
      remoteTexts.set(left.toString(), f.remote?.state === 'file' ? (f.remote.text ?? '') : '');
      remoteTexts.set(right.toString(), f.text);
      changed.fire(left);
      changed.fire(right);
      await vscode.commands.executeCommand('vscode.diff', left, right, title(f), { preview: false });
      shown++;
    }
    return shown;
  };

  /**
   * The question before a run, in a notification (not a modal dialog: the diffs stay in view while
   * deciding): true on Apply; Show Script opens the exact script instead, and nothing runs.
   */
  const confirmRun = async (p: Ready, question: string, shown: number, lines: string[]): Promise<boolean> => {
    const answer = await vscode.window.showWarningMessage(
      plainText(`${question}${shown ? ` (${shown} diff${shown === 1 ? '' : 's'} opened)` : ''} ${lines.join(' ')}`),
      'Apply',
      'Show Script',
      'Cancel',
    );
    if (answer === 'Show Script') await openScript(p.script);
    return answer === 'Apply';
  };

  const saveDirty = async (folder: vscode.Uri): Promise<boolean> => {
    const dirty = vscode.workspace.textDocuments.filter((d) => d.isDirty && d.uri.toString().startsWith(folder.toString() + '/'));
    if (!dirty.length) return true;
    const ok = await vscode.window.showWarningMessage(
      `${dirty.length} file${dirty.length === 1 ? '' : 's'} of this host ${dirty.length === 1 ? 'has' : 'have'} unsaved changes: save before applying?`,
      { modal: true },
      'Save and Continue',
    );
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
    return openScript(p.script);
  };

  const apply = async (args: { host?: string } = {}): Promise<ApplyOutcome | undefined> => {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showErrorMessage('Applying to a host is disabled until you trust this workspace.');
      return undefined;
    }
    const picked = await chooseHost(args.host);
    if (!picked || !(await saveDirty(picked.folder))) return undefined;
    // the host is shown, and what ssh would run here, before anything connects (the fetch is the first connection)
    if (!(await agreeToConnect(picked))) return undefined;
    const p = await prepare(picked, true);
    if (!p.ok) {
      await refuse(p);
      return undefined;
    }
    // a diff per file that changes and whose host copy was read: the host's copy ↔ what is sent
    const changing = p.files.filter((f) => f.changes);
    const shown = await openDiffs(
      p,
      { now: 'host', next: 'to-send' },
      (f) => `${f.path}: ${p.hostName}${f.remote?.state === 'missing' ? ' (no such file yet)' : ''} ↔ to send (snapshot)`,
      (f) => f.remote?.state === 'file' || f.remote?.state === 'missing',
    );
    const lines = [
      p.fetchProblem ? `Note: ${p.fetchProblem}.` : '',
      changing.length ? `Files to write (backed up first): ${changing.map((f) => f.path).join(', ')}.` : 'Every file is already as here.',
      p.commands.length ? `Then: ${p.commands.join('; ')}.` : 'No command to run.',
      `It runs in a terminal with: ${p.ssh} ${p.destination}.`,
      p.confirmSeconds > 0
        ? `Afterwards a new connection confirms the change; without it the host goes back as it was within ${p.confirmSeconds} s.`
        : 'No confirm-or-revert window (confirmSeconds is 0).',
    ].filter(Boolean);
    if (!(await confirmRun(p, `Apply to ${p.hostName}?`, shown, lines))) return undefined;
    return run(p);
  };

  const run = async (p: Ready): Promise<ApplyOutcome> => {
    // the server writes the runner and the script it prepared into a private folder (0700, files
    // 0600): the terminal's command line is `/bin/sh <folder>/run.sh`, nothing of the files is in an argument
    const files = await client
      .sendRequest(ApplyRunFilesRequest, { runId: p.runId })
      .catch((e: unknown) => ({ ok: false as const, errors: [e instanceof Error ? e.message : String(e)] }));
    if (!files.ok) {
      const message = `not run: ${files.errors.join('; ')}`;
      void vscode.window.showErrorMessage(plainText(`${p.hostName}: ${message}.`));
      return { host: p.hostName, exitCode: undefined, message };
    }
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
              void client.sendNotification(ApplyDiscardRunNotification, { runId: p.runId }).catch(() => undefined);
              void vscode.window.showErrorMessage(`The terminal for ${p.hostName} could not start: ${err instanceof Error ? err.message : String(err)}`);
              finish(undefined);
            },
          );
        }),
    );
    const message = exitCode === undefined ? 'stopped before it finished' : (p.exits[String(exitCode)] ?? `exit status ${exitCode}`);
    const text = plainText(`${p.hostName}: ${message}.`);
    if (exitCode !== undefined && p.successes.includes(exitCode)) void vscode.window.showInformationMessage(text);
    else void vscode.window.showErrorMessage(`${text} The terminal holds the whole transcript.`);
    return { host: p.hostName, exitCode, message };
  };

  // ---- Apply Here: this machine is the host (a workspace folder that is its /, /etc or inside /etc) ----

  /** The workspace folder that is this machine's host, as the server lists it (xen/hosts: live). */
  const liveFolder = async (): Promise<{ folder: string; name: string } | undefined> => {
    const list = hosts ? await hosts.list(true) : [];
    const live = list.find((h) => h.live);
    return live ? { folder: live.folder, name: live.name } : undefined;
  };
  // (the command is offered only when the workspace holds this machine's host: context key xen.liveHost)
  const updateLiveContext = async (): Promise<void> => {
    const live = await liveFolder().catch(() => undefined);
    await vscode.commands.executeCommand('setContext', 'xen.liveHost', live !== undefined);
  };
  void updateLiveContext();

  /**
   * Before the terminal of an Apply Here runs: the unsaved edits the script carries are taken off
   * the editor (each document reverted to the disk's text). A task saves every dirty editor before
   * it runs (task.saveBeforeRun): that save would write /etc itself, without a backup, and the
   * script would stop on a file changed since the review. They are put back when the apply does not
   * end as asked; after it, the disk holds them.
   */
  const stash = async (p: Ready): Promise<{ uri: vscode.Uri; text: string }[]> => {
    const kept: { uri: vscode.Uri; text: string }[] = [];
    for (const f of p.files) {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === f.localUri);
      if (!f.changes || !doc?.isDirty || doc.getText() !== f.text) continue;
      kept.push({ uri: doc.uri, text: f.text });
      await vscode.window.showTextDocument(doc, { preview: false });
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    return kept;
  };
  const unstash = async (kept: { uri: vscode.Uri; text: string }[]): Promise<void> => {
    for (const k of kept) {
      const doc = await vscode.workspace.openTextDocument(k.uri);
      if (doc.getText() === k.text) continue;
      const edit = new vscode.WorkspaceEdit();
      edit.replace(k.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), k.text);
      await vscode.workspace.applyEdit(edit);
    }
  };

  const applyHere = async (): Promise<ApplyOutcome | undefined> => {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showErrorMessage('Applying to a host is disabled until you trust this workspace.');
      return undefined;
    }
    const live = await liveFolder();
    if (!live) {
      void vscode.window.showErrorMessage(
        'Apply Here applies to this machine: open its /etc, a folder inside /etc (such as /etc/xen) or / as the workspace folder (over Remote-SSH on dom0, or on dom0 itself).',
      );
      return undefined;
    }
    // (unsaved edits are applied as they are: the script writes them, with backups; nothing is saved first)
    const p = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Preparing the script for ${live.name}…` }, () =>
      client.sendRequest(ApplyHerePrepareRequest, {
        folderUri: live.folder,
        workspaceFolderUris: (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.toString()),
      }),
    );
    if (!p.ok) {
      await refuse(p);
      return undefined;
    }
    const changing = p.files.filter((f) => f.changes);
    const shown = await openDiffs(
      p,
      { now: 'now', next: 'to-write' },
      (f) => `${f.path}: on disk${f.remote?.state === 'missing' ? ' (no such file yet)' : ''} ↔ to write (snapshot)`,
    );
    const word = p.local?.confirmWord ?? 'keep';
    const lines = [
      changing.length ? `Files to write (backed up first): ${changing.map((f) => f.path).join(', ')}.` : 'Every file is already as in the editor.',
      p.commands.length ? `Then: ${p.commands.join('; ')}.` : 'No command to run.',
      `It runs in a terminal on this machine${p.local?.sudo ? ' with sudo (it asks for your password there)' : ''}.`,
      p.confirmSeconds > 0
        ? `Afterwards type ${word} in the terminal within ${p.confirmSeconds} s; without it (or if the change cuts you off) this host goes back as it was.`
        : 'No confirm-or-revert window.',
    ];
    if (!(await confirmRun(p, `Apply here to ${p.hostName}?`, shown, lines))) return undefined;
    const kept = await stash(p);
    const outcome = await run(p);
    if (outcome.exitCode !== 0) await unstash(kept);
    return outcome;
  };

  return vscode.Disposable.from(
    changed,
    vscode.commands.registerCommand('xen.applyHere', applyHere),
    ...(hosts ? [hosts.onDidChangeFiles(() => void updateLiveContext()), vscode.workspace.onDidChangeWorkspaceFolders(() => void updateLiveContext())] : []),
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, provider),
    vscode.commands.registerCommand('xen.applyToHost', apply),
    vscode.commands.registerCommand('xen.showApplyScript', showScript),
  );
}
