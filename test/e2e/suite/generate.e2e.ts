// "Xen: New Routed Network Setup…" in the real VS Code: the command is given every answer but the
// gateway address, which is typed into its input box as a person would (first a wrong one: the
// box shows the server's message), the changes open in a diff editor under a notification that asks
// to apply them (photographed), its Apply button is clicked, and the files land on disk with no
// diagnostic once opened.
// Then "Xen: Add Guest…" adds a third guest on the next free address, through the same preview, and
// "Xen: Switch Network Mode…" switches to bridged (picked in its list) and back to routed.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { test } from './harness';
import { describe, pressNotificationButton, screenshot, type, xenDiagnostics } from './helpers';

const INPUT = '.quick-input-widget input';

test('New Routed Network Setup: typed answer checked as typed, diff preview, Apply: files written and clean; Add Guest takes the next free address; Switch Network Mode to bridged and back', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xen-e2e-generate-'));
  try {
    const root = vscode.Uri.file(dir).toString();
    const done = vscode.commands.executeCommand<boolean>('xen.newRoutedSetup', {
      root,
      cidr: '80.68.86.192/29',
      gatewayInterface: 'dummy0',
      toolstack: 'xend',
      guests: ['web', 'mail'],
    });
    // the gateway address box: the network address is refused while typed, the first usable accepted
    await type('80.68.86.192', { focus: INPUT });
    await screenshot('generate-input-refused', ['.quick-input-widget .quick-input-message']);
    await type('80.68.86.193', { focus: INPUT, selectAll: true, press: 'Enter' });
    // the changes in a diff editor and a notification asking to apply them; a person presses Apply
    await pressNotificationButton('write 5 files', 'Apply', 'generate-preview');
    assert.equal(await done, true, 'the command reports the edit applied');

    const files = ['etc/network/interfaces', 'etc/modules', 'etc/xen/xend-config.sxp', 'etc/xen/web.cfg', 'etc/xen/mail.cfg'];
    for (const f of files) assert.ok(existsSync(join(dir, f)), `${f} was written`);
    const interfaces = readFileSync(join(dir, 'etc/network/interfaces'), 'utf8');
    assert.match(interfaces, /iface dummy0 inet static/);
    assert.match(interfaces, /address 80\.68\.86\.193/);
    assert.match(interfaces, /broadcast 80\.68\.86\.199/);
    assert.match(readFileSync(join(dir, 'etc/xen/xend-config.sxp'), 'utf8'), /\(vif-script 'vif-route netdev=dummy0'\)/);
    assert.match(readFileSync(join(dir, 'etc/xen/web.cfg'), 'utf8'), /ip=80\.68\.86\.194/);
    assert.match(readFileSync(join(dir, 'etc/xen/mail.cfg'), 'utf8'), /ip=80\.68\.86\.195/);
    // opened in the editor, every file is clean (its own checks and the host's)
    const docs: vscode.TextDocument[] = [];
    for (const f of files) {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(join(dir, f)));
      await vscode.window.showTextDocument(doc, { preview: false });
      docs.push(doc);
    }
    // (a clean file publishes nothing new: give the server time to check them all, then look)
    await new Promise((r) => setTimeout(r, 2500));
    for (const doc of docs) assert.equal(xenDiagnostics(doc.uri).length, 0, `${doc.uri.fsPath}: ${describe(xenDiagnostics(doc.uri))}`);

    // Add Guest: the name is given, the preview applied; the guest gets .196
    await vscode.commands.executeCommand('notifications.clearAll');
    const added = vscode.commands.executeCommand<boolean>('xen.addGuest', { root, name: 'db' });
    await pressNotificationButton('write 1 file', 'Apply', 'generate-add-guest');
    assert.equal(await added, true);
    assert.match(readFileSync(join(dir, 'etc/xen/db.cfg'), 'utf8'), /ip=80\.68\.86\.196/);

    // Switch Network Mode: the mode is picked from its list as a person would (filtered by typing,
    // photographed), the preview applied: xend's scripts say bridged; then back to routed by
    // argument, and xend-config.sxp is as the routed setup wrote it
    const routedSxp = readFileSync(join(dir, 'etc/xen/xend-config.sxp'), 'utf8');
    await vscode.commands.executeCommand('notifications.clearAll');
    const switched = vscode.commands.executeCommand<boolean>('xen.switchNetworkMode', { root });
    await type('Bridged', { focus: INPUT });
    await screenshot('generate-switch-mode', ['.quick-input-list .monaco-list-row:has-text("network-bridge and vif-bridge")']);
    await type('', { focus: INPUT, press: 'Enter' });
    await pressNotificationButton('Switch Network Mode: write 1 file', 'Apply', 'generate-switch-preview');
    assert.equal(await switched, true);
    const bridged = readFileSync(join(dir, 'etc/xen/xend-config.sxp'), 'utf8');
    assert.match(bridged, /^\(network-script network-bridge\)$/m);
    assert.match(bridged, /^\(vif-script vif-bridge\)$/m);
    await vscode.commands.executeCommand('notifications.clearAll');
    const back = vscode.commands.executeCommand<boolean>('xen.switchNetworkMode', { root, mode: 'routed' });
    await pressNotificationButton('Switch Network Mode: write 1 file', 'Apply', 'generate-switch-back');
    assert.equal(await back, true);
    assert.equal(readFileSync(join(dir, 'etc/xen/xend-config.sxp'), 'utf8'), routedSxp);
  } finally {
    for (const ed of vscode.window.visibleTextEditors)
      if (ed.document.uri.fsPath.startsWith(dir))
        await vscode.window.showTextDocument(ed.document).then(() => vscode.commands.executeCommand('workbench.action.closeActiveEditor'));
    rmSync(dir, { recursive: true, force: true });
  }
});
