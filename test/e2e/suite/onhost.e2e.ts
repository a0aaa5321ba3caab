// On the host itself (issue 15): VS Code and its language server run inside the dom0 test host
// (test/e2e/on-host.ts: its own network namespace, its /etc overlaid in a private mount
// namespace), with /etc/xen as the workspace folder, as Remote-SSH to dom0 gives. What a person
// sees: the host listed in the Xen Network view under this machine's name, vm1's wrong address
// reported with the routed block read from /etc/network/interfaces (outside the folder), the
// status bar, Add Guest writing through the editor, and Apply Here running in a terminal as root
// (no sudo): the unsaved fix of vm1.cfg written with a backup, dummy0 brought up, and the
// confirmation typed in the terminal.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { hostname } from 'node:os';
import * as vscode from 'vscode';
import type { ViewItemDescription } from '../../../client/src/view';
import type { DiagramElements } from '../../../client/src/diagram';
import { test, log } from './harness';
import { describe, pressNotificationButton, replaceOnLine, screenshot, type, waitFor, xenDiagnostics } from './helpers';

const NAME = `${hostname()} (this host)`;
const VM1 = vscode.Uri.file('/etc/xen/vm1.cfg');

interface Outcome {
  host: string;
  exitCode: number | undefined;
  message: string;
}

async function items(): Promise<ViewItemDescription[]> {
  return (await vscode.commands.executeCommand<ViewItemDescription[]>('xen.networkView.items', { fresh: true })) ?? [];
}

test('the workspace folder /etc/xen is this host: listed under the machine name, not a mirror', async () => {
  assert.equal(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath, '/etc/xen');
  let last: ViewItemDescription[] = [];
  for (const until = Date.now() + 30_000; ;) {
    last = await items();
    if (last.some((i) => i.depth === 0 && i.label === NAME)) break;
    if (Date.now() > until) assert.fail(`the view lists: ${last.map((i) => `${i.label} — ${i.description}`).join(' | ')}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const host = last.find((i) => i.depth === 0)!;
  assert.equal(host.label, NAME);
  assert.match(host.description, /routed 80\.68\.86\.192\/29/);
  assert.equal(last.filter((i) => i.depth === 0).length, 1, last.map((i) => i.label).join(', '));
});

test("vm1's address outside the routed block is reported, the block read from /etc/network/interfaces outside the folder; the status bar shows the host", async () => {
  const editor = await vscode.window.showTextDocument(VM1, { preview: false });
  const diags = await waitFor('host/guest-ip-outside-subnet on vm1.cfg', () => {
    const ds = xenDiagnostics(VM1);
    return ds.some((d) => String(typeof d.code === 'object' ? d.code.value : d.code) === 'host/guest-ip-outside-subnet') ? ds : undefined;
  });
  log(`vm1.cfg: ${describe(diags)}`);
  const d = diags.find((x) => String(typeof x.code === 'object' ? x.code.value : x.code) === 'host/guest-ip-outside-subnet')!;
  assert.match(editor.document.lineAt(d.range.start.line).text, /ip=80\.68\.86\.201/);
  await vscode.commands.executeCommand('xenNetwork.focus');
  await screenshot('onhost-view-mistake', [
    `.monaco-list-row:has-text(${JSON.stringify(NAME)})`,
    '.statusbar-item:has-text("Xen routed 80.68.86.192/29"):visible',
    '.squiggly-error',
  ]);
  // the fix is typed, not saved: Apply Here writes it
  await replaceOnLine(editor, /ip=80\.68\.86\.201/, '80.68.86.201', '80.68.86.194');
  await waitFor('vm1.cfg to be clean', () => (xenDiagnostics(VM1).length === 0 ? true : undefined));
  assert.ok(editor.document.isDirty);
  assert.match(readFileSync('/etc/xen/vm1.cfg', 'utf8'), /ip=80\.68\.86\.201/, 'the disk still has the old address');
});

test('Add Guest on this host writes /etc/xen/vm2.cfg through the editor (the root as the workspace folder gives it)', async () => {
  await vscode.commands.executeCommand('notifications.clearAll');
  const added = vscode.commands.executeCommand<boolean>('xen.addGuest', { root: vscode.workspace.workspaceFolders![0].uri.toString(), name: 'vm2' });
  await pressNotificationButton('write 1 file', 'Apply', 'onhost-add-guest');
  assert.equal(await added, true);
  const text = readFileSync('/etc/xen/vm2.cfg', 'utf8');
  // the next free address after the gateway and vm1's (the open, unsaved .194)
  assert.match(text, /ip=80\.68\.86\.195/, text);
  assert.ok(!existsSync('/etc/xen/etc'), 'nothing written below the folder as if it were a mirror');
});

test('Apply Here: diff, Apply, the script in a terminal as root (no sudo), vm1.cfg written with a backup, dummy0 up, the confirmation typed', async () => {
  await vscode.commands.executeCommand('notifications.clearAll');
  const running = vscode.commands.executeCommand<Outcome | undefined>('xen.applyHere');
  await pressNotificationButton(`Apply here to ${NAME}?`, 'Apply', 'onhost-apply-confirm');
  // the script runs: vm1.cfg written, dummy0 up; then the runner asks for the word in the terminal
  // (a run that ends before that says why)
  let ended: Outcome | undefined | null = null;
  void running.then((o) => (ended = o));
  try {
    await waitFor(
      'the script to write vm1.cfg and bring dummy0 up',
      () => {
        if (ended !== null) throw new Error(`the run ended before asking for the confirmation: ${JSON.stringify(ended)}`);
        const ip = spawnSync('ip', ['-4', 'addr', 'show', 'dev', 'dummy0'], { encoding: 'utf8' }).stdout ?? '';
        return /ip=80\.68\.86\.194/.test(readFileSync('/etc/xen/vm1.cfg', 'utf8')) && /inet 80\.68\.86\.193\/29/.test(ip) ? true : undefined;
      },
      90_000,
    );
  } catch (e) {
    await screenshot('onhost-apply-terminal-failed', ['.terminal-wrapper, .xterm']).catch(() => undefined);
    throw e;
  }
  await new Promise((r) => setTimeout(r, 1500));
  await screenshot('onhost-apply-terminal-asks', ['.terminal-wrapper, .xterm']);
  await vscode.commands.executeCommand('workbench.action.terminal.focus');
  await type('keep', { press: 'Enter' });
  const outcome = await running;
  log(`apply here: ${JSON.stringify(outcome)}`);
  await screenshot('onhost-apply-terminal', ['.terminal-wrapper, .xterm']);
  assert.equal(outcome?.exitCode, 0, outcome?.message);
  assert.ok(
    vscode.window.terminals.some((t) => t.name.includes(NAME)),
    vscode.window.terminals.map((t) => t.name).join(', '),
  );
  // the old vm1.cfg is backed up; the change stayed (confirmed)
  const runs = readdirSync('/var/backups/xen-network').filter((n) => !n.startsWith('.') && !n.endsWith('.confirm.log'));
  assert.equal(runs.length, 1, runs.join(', '));
  assert.match(readFileSync(`/var/backups/xen-network/${runs[0]}/etc/xen/vm1.cfg`, 'utf8'), /ip=80\.68\.86\.201/);
  await new Promise((r) => setTimeout(r, 1000));
  assert.match(readFileSync('/etc/xen/vm1.cfg', 'utf8'), /ip=80\.68\.86\.194/);
  assert.ok(existsSync('/sys/module/dummy'), 'the dummy module loaded (the stand-in modprobe)');
  // the editor's copy is the disk's now: clean
  const doc = vscode.workspace.textDocuments.find((x) => x.uri.toString() === VM1.toString());
  assert.equal(doc?.isDirty, false);
}, 240_000);

test('the network diagram draws this host under its name, the guests at their new addresses', async () => {
  await vscode.commands.executeCommand('workbench.action.closePanel');
  assert.equal(await vscode.commands.executeCommand('xen.showNetworkDiagram'), true);
  let last: DiagramElements | undefined;
  for (const until = Date.now() + 30_000; ;) {
    last = await vscode.commands.executeCommand<DiagramElements | undefined>('xen.networkDiagram.elements');
    if (last && last.elements.filter((e) => e.kind === 'guest').length === 2) break;
    if (Date.now() > until) assert.fail(`the diagram shows: ${JSON.stringify(last?.elements.map((e) => `${e.kind} ${e.lines.join(' / ')}`))}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const lines = (kind: string) => last!.elements.filter((e) => e.kind === kind).map((e) => e.lines);
  assert.equal(last.host, NAME);
  assert.equal(lines('host')[0]?.[0], `${NAME} (dom0)`);
  assert.deepEqual(lines('gateway'), [['dummy0', 'gateway 80.68.86.193']]);
  assert.deepEqual(
    lines('guest').map((l) => l.slice(0, 2)),
    [
      ['vm1', '80.68.86.194'],
      ['vm2', '80.68.86.195'],
    ],
  );
  await screenshot('onhost-diagram', ['iframe.webview', `.tab:has-text(${JSON.stringify(`Xen Network: ${NAME}`)})`]);
});
