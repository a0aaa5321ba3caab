// The "Xen Network" view and "Xen: Show Network Diagram" on the article's host: the view's items
// (the /29, every address with its role and defining line), a click on the gateway's row opening
// interfaces at its line, the status bar's text, the diagram's elements as the webview drew them
// (laid out top to bottom, no overlaps, each with its line), a redraw after an edit that puts vm1
// on the gateway's address (the problem marked on vm1's vif and in the view), the export to SVG,
// and screenshots of the workbench in a light and a dark theme. Files and theme are put back.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ViewItemDescription } from '../../../client/src/view';
import type { DiagramElements } from '../../../client/src/diagram';
import { test } from './harness';
import { FILES, click, fileUri, lineOf, open, pressNotificationButton, screenshot, type, waitFor, xenDiagnostics } from './helpers';

// (the shapes the test commands answer with, as the client declares them: type-only, erased from the bundle)
type Item = ViewItemDescription;
type Drawn = DiagramElements;

const ARTICLE_ADDRESSES = [
  ['80.68.86.192', 'network'],
  ['80.68.86.193', 'gateway on dummy0'],
  ['80.68.86.194', 'guest vm1 (etc/xen/vm1.cfg)'],
  ['80.68.86.195', 'free'],
  ['80.68.86.196', 'free'],
  ['80.68.86.197', 'free'],
  ['80.68.86.198', 'free'],
  ['80.68.86.199', 'broadcast'],
];

/** Shows an address's row in the view, once the view has its host (right after a refresh it may have none for a moment). */
async function reveal(address: string, timeoutMs = 20_000): Promise<void> {
  for (const until = Date.now() + timeoutMs; !(await vscode.commands.executeCommand<boolean>('xen.networkView.reveal', address));) {
    if (Date.now() > until) assert.fail(`the view never had the host to reveal ${address} in`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function items(): Promise<Item[]> {
  return (await vscode.commands.executeCommand<Item[]>('xen.networkView.items', { fresh: true })) ?? [];
}

/** Waits for the view to list what `ok` accepts (the view refreshes after edits and diagnostics). */
async function itemsWhere(what: string, ok: (list: Item[]) => boolean, timeoutMs = 20_000): Promise<Item[]> {
  let last: Item[] = [];
  const until = Date.now() + timeoutMs;
  for (;;) {
    last = await items();
    if (ok(last)) return last;
    if (Date.now() > until)
      throw new Error(
        `timed out waiting for the view to show ${what}; it shows:\n${last.map((i) => `${'  '.repeat(i.depth)}${i.label} — ${i.description} [${i.contextValue} ${i.icon}${i.problems.length ? ' ' + i.problems.join(',') : ''}]`).join('\n')}`,
      );
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function drawnWhere(what: string, ok: (d: Drawn) => boolean, timeoutMs = 20_000): Promise<Drawn> {
  let last: Drawn | undefined;
  const until = Date.now() + timeoutMs;
  for (;;) {
    last = await vscode.commands.executeCommand<Drawn | undefined>('xen.networkDiagram.elements');
    if (last && ok(last)) return last;
    if (Date.now() > until)
      throw new Error(
        `timed out waiting for the diagram to show ${what}; it shows: ${JSON.stringify(last?.elements.map((e) => `${e.kind} ${e.lines.join(' / ')} ${e.marked}`))}`,
      );
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The Explorer's pane of the view. */
const PANE = '.pane:has(.pane-header:has-text("Xen Network"))';

const byKind = (d: Drawn, kind: string) => d.elements.filter((e) => e.kind === kind);

/** The host's name in the view and the diagram: the workspace folder's (the run copies the fixture into a folder of its own). */
const hostName = () => vscode.workspace.workspaceFolders![0].name;

async function setTheme(name: string): Promise<void> {
  await vscode.workspace.getConfiguration('workbench').update('colorTheme', name, vscode.ConfigurationTarget.Global);
}

test('Xen Network view: the article host\'s /29 address by address; a click opens the gateway\'s line; the status bar says "Xen routed 80.68.86.192/29 · 4 free"', async () => {
  const ifDoc = await open(FILES.interfaces);
  await vscode.window.showTextDocument(await open(FILES.domain), { preview: false });
  const list = await itemsWhere('the article host', (l) => l.some((i) => i.label === '80.68.86.194'));
  const host = list.find((i) => i.depth === 0);
  assert.ok(host, 'no host in the view');
  assert.equal(host.label, hostName());
  assert.equal(host.description, 'routed 80.68.86.192/29');
  const children = list.filter((i) => i.depth === 1);
  assert.deepEqual(children[0] && [children[0].label, children[0].description], ['80.68.86.192/29', 'routed · 4 of 6 free']);
  assert.equal(children[0].uri, fileUri(FILES.interfaces).toString(), 'the subnet opens interfaces');
  assert.deepEqual(
    children.slice(1).map((i) => [i.label, i.description]),
    ARTICLE_ADDRESSES,
  );
  const at = (a: string) => children.find((i) => i.label === a)!;
  assert.equal(at('80.68.86.193').uri, fileUri(FILES.interfaces).toString());
  assert.equal(at('80.68.86.193').line, lineOf(ifDoc, /^\s+address 80\.68\.86\.193/));
  assert.equal(at('80.68.86.194').uri, fileUri(FILES.domain).toString());
  assert.equal(at('80.68.86.194').line, lineOf(await open(FILES.domain), /^vif\s*=/));
  assert.equal(at('80.68.86.195').contextValue, 'xenAddress.free', 'a free address carries the context of "Add Guest Here"');
  assert.equal(at('80.68.86.195').uri, undefined, 'a free address has no line');
  assert.deepEqual(
    children.slice(1).map((i) => i.icon),
    ['symbol-numeric', 'globe', 'vm', 'circle-large-outline', 'circle-large-outline', 'circle-large-outline', 'circle-large-outline', 'broadcast'],
  );
  assert.ok(children.every((i) => i.problems.length === 0));

  // a click on the gateway's row, as a person makes it, opens interfaces at its address line
  await vscode.commands.executeCommand('workbench.view.explorer');
  await reveal('80.68.86.193');
  await click(`${PANE} .monaco-list-row:has-text("80.68.86.193")`);
  const ed = await waitFor('interfaces in the active editor after the click', () =>
    vscode.window.activeTextEditor?.document.uri.toString() === ifDoc.uri.toString() ? vscode.window.activeTextEditor : undefined,
  );
  assert.equal(ed.selection.start.line, lineOf(ifDoc, /^\s+address 80\.68\.86\.193/));
  assert.equal(ed.document.getText(ed.selection), '80.68.86.193');
  await screenshot('network-view', [
    '.pane-header:has-text("Xen Network")',
    `${PANE} .monaco-list-row:has-text("80.68.86.194"):visible`,
    '.statusbar-item:has-text("Xen routed 80.68.86.192/29 · 4 free"):visible',
  ]);
});

test('Network diagram: upstream, eth0, the host, dummy0 with the gateway, a vif, vm1; redrawn when vm1 moves onto the gateway (marked); SVG export; light and dark', async () => {
  const previousTheme = vscode.workspace.getConfiguration('workbench').inspect<string>('colorTheme')?.globalValue;
  const vmDoc = await open(FILES.domain);
  const original = vmDoc.getText();
  const out = mkdtempSync(join(tmpdir(), 'xen-diagram-'));
  try {
    await vscode.window.showTextDocument(vmDoc, { viewColumn: vscode.ViewColumn.One, preview: false });
    assert.equal(await vscode.commands.executeCommand('xen.showNetworkDiagram'), true);
    const d = await drawnWhere('the article host', (x) => byKind(x, 'guest').length === 1);
    assert.equal(d.host, hostName());
    const lines = (kind: string) => byKind(d, kind).map((e) => e.lines);
    assert.deepEqual(lines('upstream'), [['upstream', 'router 80.68.80.1']]);
    assert.deepEqual(lines('uplink'), [['eth0', '80.68.80.24/24']]);
    assert.deepEqual(lines('host'), [[`${hostName()} (dom0)`, 'routed 80.68.86.192/29', '4 of 6 free']]);
    assert.deepEqual(lines('gateway'), [['dummy0', 'gateway 80.68.86.193']]);
    assert.deepEqual(lines('vif'), [['vif<id>.0', 'route 80.68.86.194', 'routed']]);
    assert.deepEqual(lines('guest'), [['vm1', '80.68.86.194', 'etc/xen/vm1.cfg']]);
    // each element links to its line
    const ifUri = fileUri(FILES.interfaces).toString();
    const ifDoc = await open(FILES.interfaces);
    const get = (kind: string) => byKind(d, kind)[0];
    assert.deepEqual([get('uplink').uri, get('uplink').line], [ifUri, lineOf(ifDoc, /^iface eth0/)]);
    assert.deepEqual([get('gateway').uri, get('gateway').line], [ifUri, lineOf(ifDoc, /^\s+address 80\.68\.86\.193/)]);
    assert.deepEqual([get('vif').uri, get('vif').line], [vmDoc.uri.toString(), lineOf(vmDoc, /^vif\s*=/)]);
    assert.deepEqual([get('guest').uri, get('guest').line], [vmDoc.uri.toString(), lineOf(vmDoc, /^name\s*=/)]);
    // laid out top to bottom in the article's order, no two boxes overlapping
    const order = ['upstream', 'uplink', 'host', 'gateway', 'vif', 'guest'].map(get);
    for (let i = 1; i < order.length; i++)
      assert.ok(order[i].y >= order[i - 1].y + order[i - 1].height, `${order[i].id} is not below ${order[i - 1].id}: ${JSON.stringify(order)}`);
    for (const a of d.elements)
      for (const b of d.elements) {
        if (a === b) continue;
        const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        assert.ok(apart, `${a.id} and ${b.id} overlap`);
      }
    assert.ok(
      d.elements.every((e) => !e.marked && e.width > 20),
      JSON.stringify(d.elements),
    );

    // light theme, then dark: the webview follows the theme
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await setTheme('Light Modern');
    await drawnWhere('the light theme', (x) => /vscode-light/.test(x.theme));
    await screenshot('network-diagram-light', [
      '.monaco-workbench.vs',
      'iframe.webview',
      `.tab:has-text("Xen Network: ${hostName()}")`,
      '.pane-header:has-text("Xen Network")',
    ]);

    // vm1 onto the gateway's address: redrawn with the problem on vm1's vif
    await setTheme('Default High Contrast');
    await drawnWhere('the high contrast theme', (x) => /vscode-high-contrast/.test(x.theme));
    await screenshot('network-diagram-high-contrast', ['.monaco-workbench.hc-black', 'iframe.webview', `.tab:has-text("Xen Network: ${hostName()}")`]);
    await setTheme('Dark Modern');
    await drawnWhere('the dark theme', (x) => /vscode-dark/.test(x.theme));
    const edit = new vscode.WorkspaceEdit();
    const vifLine = lineOf(vmDoc, /^vif\s*=/);
    const col = vmDoc.lineAt(vifLine).text.indexOf('80.68.86.194');
    edit.replace(vmDoc.uri, new vscode.Range(vifLine, col, vifLine, col + '80.68.86.194'.length), '80.68.86.193');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const after = await drawnWhere(
      'vm1 on 80.68.86.193, marked',
      (x) => get2(x, 'vif')?.marked === 'problem-error' && get2(x, 'guest')?.lines[1] === '80.68.86.193',
    );
    assert.ok(after.seq > d.seq, `not redrawn: ${after.seq} <= ${d.seq}`);
    assert.ok(get2(after, 'vif')!.problems.includes('host/guest-ip-gateway'), JSON.stringify(get2(after, 'vif')));
    assert.equal(get2(after, 'guest')!.marked, '', 'the problem is marked once, on the vif that holds the address');
    assert.equal(get2(after, 'gateway')!.marked, '');
    assert.deepEqual(get2(after, 'host')!.lines, [`${hostName()} (dom0)`, 'routed 80.68.86.192/29', '5 of 6 free']);
    const list = await itemsWhere('the guest on the gateway', (l) => l.some((i) => i.label === '80.68.86.193' && i.problems.includes('host/guest-ip-gateway')));
    const gwItem = list.find((i) => i.label === '80.68.86.193')!;
    assert.equal(gwItem.icon, 'error');
    assert.match(gwItem.description, /gateway on dummy0, also held by guest vm1/);
    assert.equal(list.find((i) => i.label === '80.68.86.194')!.description, 'free');
    await reveal('80.68.86.193');
    await screenshot('network-diagram-dark-problem', [
      '.monaco-workbench.vs-dark',
      'iframe.webview',
      `.tab:has-text("Xen Network: ${hostName()}")`,
      `${PANE} .monaco-list-row:has-text("80.68.86.193"):visible`,
    ]);

    // export: a standalone SVG with the theme's colours written in
    const target = vscode.Uri.file(join(out, 'host.svg'));
    assert.equal(await vscode.commands.executeCommand('xen.exportNetworkDiagram', { target: target.toString() }), target.toString());
    const svg = readFileSync(target.fsPath, 'utf8');
    assert.match(svg, /^<\?xml[^>]*>\s*<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    for (const s of ['vm1', '80.68.86.193', 'dummy0', 'eth0', 'upstream']) assert.ok(svg.includes(s), `the SVG lacks ${s}`);
    assert.ok(!svg.includes('var(--'), 'the SVG still holds theme variables');
    assert.match(svg, /fill="rgb/);
  } finally {
    const restore = new vscode.WorkspaceEdit();
    if (vmDoc.getText() !== original) restore.replace(vmDoc.uri, new vscode.Range(0, 0, vmDoc.lineCount, 0), original);
    await vscode.workspace.applyEdit(restore);
    if (vmDoc.isDirty) await vmDoc.save();
    await setTheme(previousTheme as string);
    rmSync(out, { recursive: true, force: true });
  }
  assert.equal(vmDoc.getText(), original);
  await waitFor('no xen diagnostics on the restored vm1.cfg', () => (xenDiagnostics(vmDoc.uri).length === 0 ? true : undefined));
  const back = await drawnWhere('vm1 back on 80.68.86.194', (x) => get2(x, 'guest')?.lines[1] === '80.68.86.194' && !x.elements.some((e) => e.marked));
  assert.equal(byKind(back, 'guest').length, 1);
  await vscode.commands.executeCommand('workbench.action.closeEditorsInOtherGroups');
});

test('Add Guest Here on a free address of the view: the new guest gets that address, and the view shows it', async () => {
  const guest = fileUri('etc/xen/web.cfg');
  try {
    await vscode.commands.executeCommand('workbench.view.explorer');
    await itemsWhere('80.68.86.196 free', (l) => l.some((i) => i.label === '80.68.86.196' && i.description === 'free'));
    await reveal('80.68.86.196');
    // the row selected, its inline action pressed as a person would
    const row = `${PANE} .monaco-list-row:has-text("80.68.86.196")`;
    // (the view re-renders as the host's diagnostics come and go: a press that lands during a
    // re-render is lost, so a person presses again; at most three times)
    for (let attempt = 1; ; attempt++) {
      await click(row);
      await click(`${row} .action-label[aria-label="Add Guest Here"]`);
      try {
        await screenshot('network-add-guest-here', ['.quick-input-widget input:visible'], 10_000);
        break;
      } catch (e) {
        if (attempt === 3) throw e;
      }
    }
    await type('web', { focus: '.quick-input-widget input', press: 'Enter' });
    await pressNotificationButton('write 1 file', 'Apply', 'network-add-guest-preview');
    // the edit creates the file, then fills it
    const text = await waitFor('etc/xen/web.cfg written with a vif', () => {
      try {
        const t = readFileSync(guest.fsPath, 'utf8');
        return /vif\s*=/.test(t) ? t : undefined;
      } catch {
        return undefined;
      }
    });
    assert.match(text, /ip=80\.68\.86\.196/, text);
    const list = await itemsWhere('web on 80.68.86.196', (l) => l.some((i) => i.label === '80.68.86.196' && i.description === 'guest web (etc/xen/web.cfg)'));
    assert.equal(list.find((i) => i.depth === 1)?.description, 'routed · 3 of 6 free');
  } finally {
    for (const ed of vscode.window.visibleTextEditors) {
      if (ed.document.uri.scheme !== 'file') continue;
      if (ed.document.uri.toString() === guest.toString())
        await vscode.window.showTextDocument(ed.document).then(() => vscode.commands.executeCommand('workbench.action.closeActiveEditor'));
    }
    await vscode.commands.executeCommand('workbench.action.closeEditorsInOtherGroups');
    await vscode.workspace.fs.delete(guest).then(undefined, () => undefined);
  }
  await itemsWhere('80.68.86.196 free again', (l) => l.some((i) => i.label === '80.68.86.196' && i.description === 'free'));
});

function get2(d: Drawn, kind: string) {
  return d.elements.find((e) => e.kind === kind);
}
