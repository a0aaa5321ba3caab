// The third way of working, importing a running host, in the real VS Code against a real host:
// Debian's sshd in a network namespace of its own (test/support/ssh-host.ts) holding the article's
// host. "Xen: Import Host…" brings its files into a folder inside the open workspace folder (no
// folder is added to the workspace: that would restart the extension host, and this test with it),
// then: the folder holds exactly the host's files, xen.hosts has the entry, the Xen Network view
// lists the host. A file changed and one added on the host: "Compare with Host" lists both, and a
// pick opens the diff of the host's copy now against the folder's (photographed). "Check Live Host"
// reads the host's running network: as its files say, then with dummy0 set down in its namespace,
// reported on dummy0's address line of the imported interfaces file (the editor, the Problems panel
// and the view's Live row photographed: docs/images/import-host.png), and gone once dummy0 is up
// again. Everything is put back: the namespace, the folder, xen.hosts, the editors and panels.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ViewItemDescription } from '../../../client/src/view';
import type { LiveCheck, RemoteCompareResult } from '../../../server/src/protocol';
import { HOST_PATH_PATTERNS } from '../../../server/src/host/paths';
import { test, log } from './harness';
import { describe, lineOf, pressNotificationButton, screenshot, texts, type, waitFor, xenDiagnostics } from './helpers';
import { startSshHost, whyNotSshHost, type SshHost } from '../../support/ssh-host';
import { repoRoot } from '../../support/paths';

/** The host's name in xen.hosts and in the view (the imported folder's name). */
const NAME = 'dom0-live';
const FIXTURE = join(repoRoot, 'test', 'e2e', 'fixtures', 'article-host');
const FIXTURE_FILES = ['etc/network/interfaces', 'etc/modules', 'etc/xen/xend-config.sxp', 'etc/xen/vm1.cfg'];

/** The host's files of the host table, as the host itself sees them (sha256sum run there): host path -> sum. */
function hostSums(host: SshHost): Map<string, string> {
  const script = `for p in ${HOST_PATH_PATTERNS.join(' ')}; do for f in $p; do [ -f "$f" ] && [ -r "$f" ] && sha256sum "$f"; done; done; exit 0`;
  const r = host.exec(['sh', '-c', script]);
  assert.equal(r.status, 0, r.stderr);
  const out = new Map<string, string>();
  for (const line of r.stdout.split('\n').filter(Boolean)) {
    const cut = line.indexOf('  ');
    out.set(line.slice(cut + 2), line.slice(0, cut));
  }
  return out;
}

/** Every file below an imported folder (plain files and folders only): host path -> sum. */
function folderSums(folder: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string, rel: string): void => {
    for (const n of readdirSync(dir).sort()) {
      const p = join(dir, n);
      const st = lstatSync(p);
      assert.ok(st.isDirectory() || st.isFile(), `${p}: a plain file or a folder`);
      if (st.isDirectory()) walk(p, `${rel}/${n}`);
      else out.set(`${rel}/${n}`, createHash('sha256').update(readFileSync(p)).digest('hex'));
    }
  };
  walk(folder, '');
  return out;
}

async function viewItems(): Promise<ViewItemDescription[]> {
  return (await vscode.commands.executeCommand<ViewItemDescription[]>('xen.networkView.items', { fresh: true })) ?? [];
}

/** The view's rows of one host (its row and everything below it). */
async function hostRows(name: string, ok: (rows: ViewItemDescription[]) => boolean, what: string): Promise<ViewItemDescription[]> {
  let rows: ViewItemDescription[] = [];
  const until = Date.now() + 30_000;
  for (;;) {
    const all = await viewItems();
    const at = all.findIndex((i) => i.depth === 0 && i.label === name);
    rows = [];
    if (at >= 0) for (let i = at; i < all.length && (i === at || all[i].depth > 0); i++) rows.push(all[i]);
    if (rows.length && ok(rows)) return rows;
    if (Date.now() > until)
      throw new Error(
        `timed out waiting for the view to show ${what}; it shows:\n${all.map((i) => `${'  '.repeat(i.depth)}${i.label} — ${i.description}${i.problems.length ? ' ' + i.problems.join(',') : ''}`).join('\n')}`,
      );
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The Explorer's pane of the view. */
const PANE = '.pane:has(.pane-header:has-text("Xen Network"))';

/** Waits until the rows of the view's pane that a person sees are as `ok` wants. */
async function waitForRows(ok: (rows: string[]) => boolean, what: string, timeoutMs = 20_000): Promise<string[]> {
  let rows: string[] = [];
  for (const until = Date.now() + timeoutMs; ;) {
    rows = await texts(`${PANE} .monaco-list-row`);
    if (ok(rows)) return rows;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; the pane shows: ${rows.join(' | ')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Waits for a command that ends when what it shows is dismissed (a message, a list that comes back
 * after each pick): runs `dismiss` (a workbench command) until the command has ended.
 */
async function dismissUntilDone<T>(running: Thenable<T>, what: string, dismiss = 'notifications.clearAll', timeoutMs = 60_000): Promise<T> {
  let done = false;
  const result = Promise.resolve(running).finally(() => (done = true));
  const until = Date.now() + timeoutMs;
  while (!done) {
    if (Date.now() > until) throw new Error(`${what} did not end within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 300));
    if (!done) await vscode.commands.executeCommand(dismiss);
  }
  return result;
}

test("Import Host over real ssh into a folder of the workspace (the host's files, xen.hosts, the view), Compare with Host (the diff), Check Live Host with dummy0 down (at its line)", async () => {
  const why = whyNotSshHost();
  if (why) throw new Error(`the ssh test host cannot run here: ${why}`);
  const workspace = vscode.workspace.workspaceFolders![0].uri;
  const foldersBefore = vscode.workspace.workspaceFolders!.map((f) => f.uri.toString());
  const parent = join(workspace.fsPath, 'imported');
  const folder = join(parent, NAME);
  const initial: Record<string, string> = {};
  for (const rel of FIXTURE_FILES) initial['/' + rel] = readFileSync(join(FIXTURE, rel), 'utf8');
  let host: SshHost | undefined;
  try {
    host = await startSshHost(initial);
    const h = host;

    // ---- Import Host: the answers given as the command's argument (the prompts are the same steps)
    const sumsBefore = hostSums(h);
    const imported = await vscode.commands.executeCommand<{ folder: string; files: string[] } | undefined>('xen.importHost', {
      destination: h.alias,
      sshConfig: h.configFile,
      name: NAME,
      folder,
    });
    log(`imported: ${JSON.stringify(imported)}`);
    assert.ok(imported, 'the import ended without a folder (its error is in the notifications)');
    assert.equal(imported.folder, folder);
    // the folder holds exactly the host's files, byte for byte (the host's /etc below the test host's overlay adds its sysctl files and xl.conf: the host has them too)
    const local = folderSums(folder);
    assert.deepEqual(local, sumsBefore);
    for (const rel of FIXTURE_FILES) assert.ok(local.has('/' + rel), `/${rel} imported`);
    assert.deepEqual([...imported.files].sort(), [...sumsBefore.keys()].sort());
    assert.deepEqual(hostSums(h), sumsBefore, 'nothing changed on the host');
    // no folder was added to the workspace: the host is a folder inside it
    assert.deepEqual(
      vscode.workspace.workspaceFolders!.map((f) => f.uri.toString()),
      foldersBefore,
    );
    // xen.hosts (user settings) has the entry, with the ssh_config it was imported with
    const hosts = vscode.workspace.getConfiguration('xen').inspect<Record<string, unknown>[]>('hosts')?.globalValue ?? [];
    assert.deepEqual(hosts, [{ name: NAME, destination: h.alias, folder, sshConfig: h.configFile }]);
    // the view lists the host with its routed block; the import opened its interfaces file
    const rows = await hostRows(NAME, (r) => r.some((i) => i.label === '80.68.86.194'), `${NAME}'s routed block`);
    assert.equal(rows[0].description, 'routed 80.68.86.192/29');
    const ifUri = vscode.Uri.file(join(folder, 'etc', 'network', 'interfaces'));
    assert.equal(rows.find((i) => i.label === '80.68.86.193')?.uri, ifUri.toString(), "the gateway's row opens the imported interfaces");
    // (the view opened on it: its row is in sight, as a person sees the view)
    const seen = await waitForRows((r) => r.some((t) => t.includes(NAME)), `${NAME}'s row in the view's pane`);
    log(`the view's pane after the import: ${seen.join(' | ')}`);
    await waitFor('the imported interfaces in an editor', () =>
      vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === ifUri.toString()) ? true : undefined,
    );

    // ---- Compare with Host: vm1.cfg changed on the host, vm2.cfg added there
    const vm1Host = initial['/etc/xen/vm1.cfg'].replace('memory     = 256', 'memory     = 512');
    assert.notEqual(vm1Host, initial['/etc/xen/vm1.cfg']);
    h.write('/etc/xen/vm1.cfg', vm1Host);
    h.write('/etc/xen/vm2.cfg', 'name = "vm2"\nmemory = 256\nvif = [ \'ip=80.68.86.195\' ]\n');
    const comparing = vscode.commands.executeCommand<RemoteCompareResult | undefined>('xen.compareWithHost', { host: NAME });
    // the list of the files that differ, as a person sees it
    const ROW = '.quick-input-list .monaco-list-row';
    let shown: string[] = [];
    for (const until = Date.now() + 60_000; ;) {
      shown = await texts(ROW);
      if (shown.some((t) => t.includes('/etc/xen/vm2.cfg'))) break;
      if (Date.now() > until) throw new Error(`the list of differences never came; rows: ${shown.join(' | ')}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    log(`compare lists: ${shown.join(' | ')}`);
    assert.equal(shown.length, 2, shown.join(' | '));
    assert.ok(shown.some((t) => t.includes('/etc/xen/vm1.cfg') && t.includes('changed')));
    assert.ok(shown.some((t) => t.includes('/etc/xen/vm2.cfg') && t.includes('on the host, not in the folder')));
    await screenshot('compare-host-list', [`${ROW}:has-text("/etc/xen/vm1.cfg")`]);
    // pick vm1.cfg: the diff of the host's copy now (left) against the folder's (right)
    await type('vm1.cfg', { focus: '.quick-input-widget input', press: 'Enter' });
    const vm1Uri = vscode.Uri.file(join(folder, 'etc', 'xen', 'vm1.cfg'));
    const diff = await waitFor('the diff of vm1.cfg', () => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputTextDiff && input.modified.toString() === vm1Uri.toString() ? input : undefined;
    });
    assert.equal((await vscode.workspace.openTextDocument(diff.original)).getText(), vm1Host, "the left side is the host's copy now");
    assert.equal((await vscode.workspace.openTextDocument(diff.modified)).getText(), initial['/etc/xen/vm1.cfg'], "the right side is the folder's file");
    // (the list comes back after each diff: dismissed, the command ends)
    const compared = await dismissUntilDone(comparing, 'Compare with Host', 'workbench.action.closeQuickOpen');
    assert.ok(compared?.ok, JSON.stringify(compared));
    assert.deepEqual(
      compared.differences.map((d) => [d.path, d.state]),
      [
        ['/etc/xen/vm1.cfg', 'changed'],
        ['/etc/xen/vm2.cfg', 'added'],
      ],
    );
    await screenshot('compare-host-diff', ['.monaco-diff-editor', '.tab.active:has-text("vm1.cfg")'], 20_000);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

    // ---- Check Live Host: the host's namespace as its files leave it (dummy0 up with the gateway, the module, forwarding on)
    const setUp = h.exec([
      'sh',
      '-c',
      'ip link add dummy0 type bridge && ip addr add 80.68.86.193/29 broadcast 80.68.86.199 dev dummy0 && ip link set dummy0 up && sysctl -q -w net.ipv4.ip_forward=1',
    ]);
    assert.equal(setUp.status, 0, setUp.stderr);
    mkdirSync(h.local('/sys/module/dummy'), { recursive: true });
    const ifDoc = await vscode.workspace.openTextDocument(ifUri);
    const addressLine = lineOf(ifDoc, /^\s+address 80\.68\.86\.193/);
    const live = () => xenDiagnostics(ifUri).filter((d) => String(typeof d.code === 'object' ? d.code.value : d.code).startsWith('live/'));

    // as the files say: nothing reported (asked first whether to connect, as Apply asks; the
    // notifications of the import and of earlier tests cleared first, so that the question has the room)
    await vscode.commands.executeCommand('notifications.clearAll');
    const clean = vscode.commands.executeCommand<LiveCheck | undefined>('xen.checkLiveHost', { host: NAME });
    await pressNotificationButton(`Read the running network of ${NAME}`, 'Connect', 'live-connect');
    const asFiles = await dismissUntilDone(clean, 'Check Live Host (the host as its files say)');
    log(`live, as the files say: ${JSON.stringify(asFiles)}`);
    assert.ok(asFiles?.ok, JSON.stringify(asFiles));
    assert.deepEqual(asFiles.findings, []);

    // the fault: dummy0 down
    const down = h.exec(['ip', 'link', 'set', 'dummy0', 'down']);
    assert.equal(down.status, 0, down.stderr);
    const faulty = vscode.commands.executeCommand<LiveCheck | undefined>('xen.checkLiveHost', { host: NAME });
    // (connecting was agreed to already: the answer comes at once, with a button to the Problems panel)
    await pressNotificationButton(`${NAME}: 1 difference`, 'Show Problems', 'live-difference');
    const found = await faulty;
    log(`live, dummy0 down: ${JSON.stringify(found)}`);
    assert.ok(found?.ok, JSON.stringify(found));
    assert.deepEqual(
      found.findings.map((f) => [f.code, f.uri, f.range.start.line]),
      [['live/gateway-interface-down', ifUri.toString(), addressLine]],
    );
    // published on dummy0's address line of the imported interfaces
    const ds = await waitFor('the live diagnostic on interfaces', () => (live().length ? live() : undefined));
    assert.equal(ds.length, 1, describe(ds));
    assert.equal(ds[0].range.start.line, addressLine, describe(ds));
    assert.equal(ds[0].severity, vscode.DiagnosticSeverity.Warning);
    assert.match(ds[0].message, /dummy0 is down on the running host/);
    // and in the view, under the host: its Live row
    await hostRows(NAME, (r) => r.some((i) => i.label === `Live: ${NAME}` && /1 difference/.test(i.description)), 'the Live row with 1 difference');
    // the photograph: the imported folder in the Explorer, the view with the host and its Live row, the line in the editor, the Problems panel
    const editor = await vscode.window.showTextDocument(ifDoc, { preview: false });
    editor.selection = new vscode.Selection(addressLine, 4, addressLine, 4);
    editor.revealRange(new vscode.Range(addressLine, 0, addressLine, 0), vscode.TextEditorRevealType.InCenter);
    // (Check Live Host opened the view on the host's Live rows)
    await waitForRows((r) => r.some((t) => t.includes('dummy0 is down')), 'the finding in sight in the view');
    await screenshot('import-host', [
      `${PANE} .monaco-list-row:has-text("Live: ${NAME}")`,
      '.markers-panel .monaco-list-row:has-text("dummy0 is down")',
      '.squiggly-warning',
    ]);

    // dummy0 up again: the line is clear
    const up = h.exec(['ip', 'link', 'set', 'dummy0', 'up']);
    assert.equal(up.status, 0, up.stderr);
    const again = vscode.commands.executeCommand<LiveCheck | undefined>('xen.checkLiveHost', { host: NAME });
    const fine = await dismissUntilDone(again, 'Check Live Host (dummy0 up again)');
    assert.ok(fine?.ok, JSON.stringify(fine));
    assert.deepEqual(fine.findings, []);
    await waitFor('the live diagnostic gone', () => (live().length === 0 ? true : undefined));
  } finally {
    host?.stop();
    await vscode.workspace.getConfiguration('xen').update('hosts', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.action.closePanel');
    rmSync(parent, { recursive: true, force: true });
    await vscode.commands.executeCommand('xen.networkView.refresh');
  }
  // put back: the host's namespace gone, no imported folder, no xen.hosts, the view on the workspace's host alone
  const ns = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout;
  assert.ok(!ns.split('\n').some((l) => l.split(' ')[0] === host!.ns), `namespace ${host!.ns} left behind: ${ns}`);
  assert.equal(existsSync(parent), false);
  assert.equal(vscode.workspace.getConfiguration('xen').inspect('hosts')?.globalValue, undefined);
  const only = [vscode.workspace.workspaceFolders![0].name];
  let hostsLeft: string[] = [];
  for (const until = Date.now() + 20_000; ;) {
    hostsLeft = (await viewItems()).filter((i) => i.depth === 0).map((i) => i.label);
    if (JSON.stringify(hostsLeft) === JSON.stringify(only) || Date.now() > until) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.deepEqual(hostsLeft, only, "the view lists the workspace's host alone again");
}, 240_000);
