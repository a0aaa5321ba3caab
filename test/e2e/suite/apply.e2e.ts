// "Xen: Apply to Host…" in the real VS Code against a real host: Debian's sshd in a network
// namespace of its own (test/support/ssh-host.ts), reached by the system's ssh through an alias
// of an ssh_config file (the entry's sshConfig). The workspace (the article's host) is applied to it: the diffs and the
// confirmation are shown, Apply is pressed through the workbench, the script runs in a terminal
// named after the host (photographed), and the host's files, its backups and the gateway
// interface are checked; a second apply says "nothing to change". The namespace is always removed.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { test, log } from './harness';
import { pressNotificationButton, screenshot, waitFor, xenDiagnostics } from './helpers';
import { startSshHost, whyNotSshHost, type SshHost } from '../../support/ssh-host';

const HOST = 'test-dom0';

interface Outcome {
  host: string;
  exitCode: number | undefined;
  message: string;
}

test('Apply to Host over real ssh: diffs, confirmation, the terminal named after the host, files and backups on the host, dummy0 up; a second apply changes nothing', async () => {
  const why = whyNotSshHost();
  if (why) throw new Error(`the ssh test host cannot run here: ${why}`);
  const folder = vscode.workspace.workspaceFolders![0].uri;
  const local = (rel: string) => readFileSync(join(folder.fsPath, rel), 'utf8');
  // the host has an older interfaces file (it gets backed up), nothing else of ours
  const old = '# the host before the routed setup\nauto lo\niface lo inet loopback\n';
  let host: SshHost | undefined;
  try {
    host = await startSshHost({ '/etc/network/interfaces': old });
    // ssh (in the terminal and in the language server) reads the host's alias from the entry's
    // ssh_config, which is taken only from the user's settings (a workspace's is ignored)
    await vscode.workspace
      .getConfiguration('xen')
      .update('hosts', [{ name: HOST, destination: host.alias, folder: '.', sshConfig: host.configFile }], vscode.ConfigurationTarget.Global);

    const first = vscode.commands.executeCommand<Outcome | undefined>('xen.applyToHost', { host: HOST });
    // before the first connection: where ssh goes and what its configuration runs here (the test
    // host's ProxyCommand), then the changes
    await pressNotificationButton(`Connect to ${HOST}?`, 'Connect', 'apply-connect');
    await pressNotificationButton(`Apply to ${HOST}?`, 'Apply', 'apply-confirm-first');
    const outcome = await first;
    log(`first apply: ${JSON.stringify(outcome)}`);
    await screenshot('apply-terminal', ['.terminal-wrapper, .xterm'], 20_000);
    assert.equal(outcome?.exitCode, 0, outcome?.message);
    // a terminal named after the host ran it
    assert.ok(
      vscode.window.terminals.some((t) => t.name.includes(HOST)),
      vscode.window.terminals.map((t) => t.name).join(', '),
    );

    for (const rel of ['etc/network/interfaces', 'etc/modules', 'etc/xen/xend-config.sxp', 'etc/xen/vm1.cfg']) {
      assert.equal(host.read('/' + rel)?.toString('utf8'), local(rel), `/${rel} on the host is the workspace's`);
    }
    // the old interfaces file was backed up, under a timestamped folder
    const backups = host.local('/var/backups/xen-network');
    assert.ok(existsSync(backups), 'a backup folder');
    // (beside the runs' folders: the lock file and each run's confirmation log)
    const backupRuns = (): string[] => readdirSync(backups).filter((n) => !n.startsWith('.') && !n.endsWith('.confirm.log'));
    const runs = backupRuns();
    assert.equal(runs.length, 1, runs.join(', '));
    assert.equal(readFileSync(join(backups, runs[0], 'etc/network/interfaces'), 'utf8'), old);
    // dummy0 is up on the host, with the gateway address
    const ip = host.exec(['ip', '-4', 'addr', 'show', 'dev', 'dummy0']);
    assert.match(ip.stdout, /inet 80\.68\.86\.193\/29/, ip.stdout + ip.stderr);

    // the same again: nothing to change, no new backup
    const second = vscode.commands.executeCommand<Outcome | undefined>('xen.applyToHost', { host: HOST });
    await vscode.commands.executeCommand('notifications.clearAll');
    await pressNotificationButton(`Apply to ${HOST}?`, 'Apply', 'apply-confirm-second');
    const again = await second;
    log(`second apply: ${JSON.stringify(again)}`);
    assert.equal(again?.exitCode, 10, again?.message);
    assert.match(again!.message, /nothing to change/);
    assert.equal(backupRuns().length, 1, 'no second backup');

    // Show Apply Script: the exact script, in an editor, for review
    const shown = await vscode.commands.executeCommand<vscode.TextDocument | undefined>('xen.showApplyScript', { host: HOST });
    assert.ok(shown, 'a document with the script');
    assert.equal(shown.languageId, 'shellscript');
    assert.match(shown.getText(), /^#!\/bin\/sh\n# xen-network: apply a setup to this host/);
    assert.equal(vscode.window.activeTextEditor?.document, shown);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');

    // a host whose files have an error is refused, with the error and its line, and nothing is sent
    const ifUri = vscode.Uri.joinPath(folder, 'etc/network/interfaces');
    const good = readFileSync(ifUri.fsPath, 'utf8');
    writeFileSync(ifUri.fsPath, good.replace('iface dummy0 inet static', 'iface dummy0 inet statik'));
    try {
      // (once the editor has the new text: the server reads an open file from the editor)
      const doc = await vscode.workspace.openTextDocument(ifUri);
      await waitFor('the error in interfaces', () => (xenDiagnostics(doc.uri).some((d) => /statik/.test(d.message)) ? true : undefined));
      await vscode.commands.executeCommand('notifications.clearAll');
      // (the command ends once its error message is dismissed)
      const refusing = vscode.commands.executeCommand<Outcome | undefined>('xen.applyToHost', { host: HOST });
      await new Promise((r) => setTimeout(r, 1000));
      await vscode.commands.executeCommand('notifications.showList');
      await screenshot('apply-refused', ['.notification-list-item:has-text("have 1 error")', '.notification-list-item:has-text("statik")'], 20_000);
      await vscode.commands.executeCommand('notifications.clearAll');
      await vscode.commands.executeCommand('notifications.hideList');
      assert.equal(await refusing, undefined, 'no apply ran');
      assert.equal(backupRuns().length, 1, 'nothing reached the host');
    } finally {
      writeFileSync(ifUri.fsPath, good);
    }
  } finally {
    host?.stop();
    await vscode.workspace.getConfiguration('xen').update('hosts', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('notifications.clearAll');
  }
}, 180_000);
