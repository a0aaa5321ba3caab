// An untrusted workspace (VS Code's Restricted Mode): a person who opens a repository they have
// not vouched for still gets every check and can generate files, but Apply to Host and Show
// Apply Script, which would run ssh with the workspace's settings, are not offered: the command
// palette does not list them (photographed), and run by name they refuse with a message and
// connect nowhere. The test hooks are never listed in the palette.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { test } from './harness';
import { codeOf, describe, FILES, pressNotificationButton, replaceOnLine, screenshot, show, texts, type, waitFor, xenDiagnostics } from './helpers';

const INPUT = '.quick-input-widget input';
const ROWS = '.quick-input-widget .monaco-list-row .label-name';

test('Restricted Mode: checks and Add Guest work; Apply to Host and Show Apply Script are not offered and refuse when run by name', async () => {
  assert.equal(vscode.workspace.isTrusted, false, 'the workspace is untrusted in this run');
  const folder = vscode.workspace.workspaceFolders![0].uri;

  // checking: the guest put on the gateway's address is an error, as in a trusted workspace
  const editor = await show(FILES.domain);
  await replaceOnLine(editor, /ip=/, '80.68.86.194', '80.68.86.193');
  const uri = editor.document.uri;
  await waitFor(`host/guest-ip-gateway on ${FILES.domain}`, () => xenDiagnostics(uri).find((d) => codeOf(d) === 'host/guest-ip-gateway'), 30_000);
  await replaceOnLine(editor, /ip=/, '80.68.86.193', '80.68.86.194');
  await editor.document.save();
  await waitFor(`${FILES.domain} clean again`, () => (xenDiagnostics(uri).length === 0 ? true : undefined), 30_000).catch((e: Error) => {
    throw new Error(`${e.message}: ${describe(xenDiagnostics(uri))}`);
  });

  // generating: Add Guest through its preview writes the guest's file
  const added = vscode.commands.executeCommand<boolean>('xen.addGuest', { root: folder.toString(), name: 'vm2' });
  await pressNotificationButton('write 1 file', 'Apply', 'restricted-add-guest');
  assert.equal(await added, true, 'Add Guest reports its edit applied');
  assert.ok(existsSync(join(folder.fsPath, 'etc/xen/vm2.cfg')), 'etc/xen/vm2.cfg was written');
  await vscode.commands.executeCommand('notifications.clearAll');

  // the command palette: what a person finds when typing each query
  const palette = async (query: string, shot?: string): Promise<string[]> => {
    await vscode.commands.executeCommand('workbench.action.showCommands');
    await type(`>${query}`, { focus: INPUT, selectAll: true }); // (the '>' the palette opens with was selected)
    let rows: string[] = [];
    for (let i = 0; i < 20; i++) {
      // the list settles as the query is typed
      await new Promise((r) => setTimeout(r, 250));
      const now = await texts(ROWS);
      if (i > 2 && now.join('|') === rows.join('|')) break;
      rows = now;
    }
    if (shot) await screenshot(shot, [INPUT]);
    await type('', { press: 'Escape' });
    return rows;
  };
  const generate = await palette('Xen: New Routed');
  assert.ok(
    generate.some((r) => r.includes('New Routed Network Setup')),
    `the palette lists New Routed Network Setup: ${generate.join(' | ')}`,
  );
  const apply = await palette('Xen: Apply', 'restricted-command-palette');
  assert.ok(!apply.some((r) => r.includes('Apply to Host')), `Apply to Host is not offered: ${apply.join(' | ')}`);
  const script = await palette('Xen: Show Apply');
  assert.ok(!script.some((r) => r.includes('Show Apply Script')), `Show Apply Script is not offered: ${script.join(' | ')}`);
  const hooks = await palette('as data');
  assert.ok(!hooks.some((r) => r.includes('as data') || r.includes('Items') || r.includes('Elements')), `no test hook is listed: ${hooks.join(' | ')}`);

  // run by name (a keybinding, another extension): refused in words, nothing opened, no ssh
  const before = vscode.workspace.textDocuments.length;
  assert.equal(await vscode.commands.executeCommand('xen.applyToHost'), undefined);
  assert.equal(await vscode.commands.executeCommand('xen.showApplyScript'), undefined);
  assert.ok(!vscode.workspace.textDocuments.some((d) => d.languageId === 'shellscript'), 'no apply script was opened');
  assert.equal(vscode.window.terminals.length, 0, 'no terminal was started');
  assert.ok(vscode.workspace.textDocuments.length <= before + 0, 'nothing new was opened');
  await vscode.commands.executeCommand('notifications.showList');
  await screenshot('restricted-apply-refused', ['.notification-list-item:has-text("until you trust this workspace")']);
  await vscode.commands.executeCommand('notifications.clearAll');
}, 120_000);
