// Large files and a large host in the editor, as the LSP and unit tests check them over the
// protocol: the outline of an interfaces file of more than OUTLINE_OPTIONS_MAX_LINES logical lines
// holds its stanzas alone, each with its count of option lines (photographed in the Outline view),
// and at the limit the option lines are still there; and opening one guest of a host of 1,000
// guests shows that file's own diagnostics before any slice of the host's read has run, then the
// host's. The files are written by the tests into folders of the workspace and removed after.
// Nothing here is timed: the times printed are for the reader (the bench measures speed).
import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { log, test } from './harness';
import { click, codeOf, describe, fileUri, screenshot, texts, waitFor, xenDiagnostics } from './helpers';
import { interfacesOf, largeHost } from './large-files';

/** server/src/formats/interfaces/features.ts: OUTLINE_OPTIONS_MAX_LINES (the suite does not import the server). */
const OUTLINE_OPTIONS_MAX_LINES = 10_000;
const GUESTS = 1000;

function writeFiles(rel: string, files: Record<string, string>): string {
  const root = fileUri(rel).fsPath;
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

type Symbol = vscode.DocumentSymbol | vscode.SymbolInformation;

async function outline(uri: vscode.Uri): Promise<vscode.DocumentSymbol[]> {
  const symbols = (await vscode.commands.executeCommand<Symbol[]>('vscode.executeDocumentSymbolProvider', uri)) ?? [];
  return symbols.filter((s): s is vscode.DocumentSymbol => 'children' in s);
}

test(`the outline of an interfaces file of ${OUTLINE_OPTIONS_MAX_LINES + 1} logical lines: its stanzas alone, each with "N options"; at ${OUTLINE_OPTIONS_MAX_LINES}, the option lines too`, async () => {
  // (each in an etc/network/ of its own: the path gives the language, and the folder is a host of its own)
  const over = interfacesOf(OUTLINE_OPTIONS_MAX_LINES + 1);
  const at = interfacesOf(OUTLINE_OPTIONS_MAX_LINES);
  const overRoot = writeFiles('large-outline-over', { 'etc/network/interfaces': over.text });
  const atRoot = writeFiles('large-outline-at', { 'etc/network/interfaces': at.text });
  const hidden: string[] = [];
  let folded = false;
  try {
    const overDoc = await vscode.workspace.openTextDocument(fileUri('large-outline-over/etc/network/interfaces'));
    assert.equal(overDoc.languageId, 'debian-interfaces', `the large file opened as ${overDoc.languageId}`);
    let t = Date.now();
    const overSymbols = await outline(overDoc.uri);
    log(`  the outline of ${OUTLINE_OPTIONS_MAX_LINES + 1} logical lines: ${overSymbols.length} symbols in ${Date.now() - t} ms`);
    assert.equal(overSymbols.length, over.stanzas, `one symbol per stanza (auto and iface): ${overSymbols.length} of ${over.stanzas}`);
    assert.ok(
      overSymbols.every((s) => s.children.length === 0),
      `no option lines as children: ${overSymbols.filter((s) => s.children.length).length} stanzas have some`,
    );
    const ifaces = overSymbols.filter((s) => s.name.startsWith('iface '));
    assert.equal(ifaces.length, over.ifaces.length);
    ifaces.forEach((s, k) => {
      const want = over.ifaces[k];
      const n = want.options.length;
      assert.equal(s.name, want.name, `iface stanza ${k + 1}`);
      assert.equal(s.detail, n === 1 ? '1 option' : `${n} options`, `the detail of ${s.name}`);
    });

    // at the limit: every iface stanza has its option lines as children, by name
    const atDoc = await vscode.workspace.openTextDocument(fileUri('large-outline-at/etc/network/interfaces'));
    t = Date.now();
    const atSymbols = await outline(atDoc.uri);
    log(`  the outline of ${OUTLINE_OPTIONS_MAX_LINES} logical lines: ${atSymbols.length} stanzas and their option lines in ${Date.now() - t} ms`);
    assert.equal(atSymbols.length, at.stanzas, `one symbol per stanza: ${atSymbols.length} of ${at.stanzas}`);
    const atIfaces = atSymbols.filter((s) => s.name.startsWith('iface '));
    atIfaces.forEach((s, k) => {
      assert.deepEqual(
        s.children.map((c) => c.name),
        at.ifaces[k].options,
        `the option lines of ${s.name}`,
      );
    });

    // what a person sees: the Outline view of the large file, its stanzas with their counts
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.window.showTextDocument(overDoc, { preview: false });
    // (the Explorer's other sections are hidden meanwhile, so that the Outline has the side bar's height)
    for (const view of ['timeline', 'xenNetwork']) {
      try {
        await vscode.commands.executeCommand(`${view}.toggleVisibility`);
        hidden.push(view);
      } catch {
        // (a section that cannot be hidden stays in the picture)
      }
    }
    await vscode.commands.executeCommand('outline.focus');
    // (and the folder's section collapsed by a click on its header, as a person makes room)
    await click('.pane-header.expanded', 'workspace');
    folded = true;
    const ROW = '.outline-pane .monaco-list-row';
    await screenshot('outline-large-interfaces', [`${ROW}:has-text("iface eth0 inet static"):has-text("1 option")`]);
    // (a row's text is its name, then its detail with no blank between them)
    const rows = (await texts(ROW)).map((r) => r.replace(/\s+/g, ' ').trim());
    // (the first iface stanzas have 1, 2, 3 and 4 option lines in turn)
    for (const want of ['iface eth0 inet static1 option', 'iface eth1 inet static2 options', 'iface eth2 inet static3 options']) {
      assert.ok(rows.includes(want), `the Outline view shows "${want}": ${rows.slice(0, 8).join(' | ')}`);
    }
    assert.ok(!rows.some((r) => /^\s*(address|netmask)\b/.test(r)), `the Outline view shows no option line: ${rows.slice(0, 8).join(' | ')}`);
  } finally {
    if (folded) await click('.pane-header', 'workspace').catch(() => undefined);
    for (const view of hidden) await vscode.commands.executeCommand(`${view}.toggleVisibility`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(overRoot, { recursive: true, force: true });
    rmSync(atRoot, { recursive: true, force: true });
  }
}, 120_000);

interface Counters {
  parses: number;
  hostReadSlices: number;
  hostFilesReadAhead: number;
  parsesAtPublish?: number[];
  slicesAtWrite?: number[];
}

/** What one opening of the large host's last guest gave (see the test below). */
interface Opening {
  before: Counters;
  c: Counters;
  total: number;
  shown: string[];
  final: vscode.Diagnostic[];
}

/**
 * Writes a host of GUESTS guests into the workspace folder `hostRel`, opens its last guest and
 * records what the editor was shown and what the server counted; the host is removed again.
 */
async function openLargeHost(hostRel: string, counters: (uri?: string) => Promise<Counters>): Promise<Opening> {
  // Nothing may read the host before the guest is opened: the Xen Network view reads every host
  // it shows, so the side bar is closed while the host is written, and no editor is left open.
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await vscode.commands.executeCommand('workbench.action.closeSidebar');
  const { files, last } = largeHost(GUESTS);
  const total = Object.keys(files).length;
  const root = fileUri(hostRel).fsPath;
  // (the editor may report the new files to the server after the open: a re-check of the guest
  // then publishes again, later; the counters below hold for the first publish all the same)
  try {
    writeFiles(hostRel, files);
    const before = await counters();

    const uri = fileUri(`${hostRel}/${last}`);
    const key = uri.toString();
    const isHost = (ds: readonly vscode.Diagnostic[]) => ds.some((d) => codeOf(d).startsWith('host/'));
    // what the editor shows, as it changes (VS Code hands diagnostics to extensions at most every 50 ms or so)
    const shown: string[] = [];
    let firstOwnMs: number | undefined;
    let hostMs: number | undefined;
    const t = Date.now();
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === key)) return;
      const ds = xenDiagnostics(uri);
      shown.push(ds.map(codeOf).join(',') || '(none)');
      if (ds.length && firstOwnMs === undefined) firstOwnMs = Date.now() - t;
      if (isHost(ds) && hostMs === undefined) hostMs = Date.now() - t;
    });
    let final: vscode.Diagnostic[];
    try {
      const doc = await vscode.workspace.openTextDocument(uri);
      assert.equal(doc.languageId, 'xen-domain');
      await vscode.window.showTextDocument(doc, { preview: false });
      final = await waitFor(
        `host/duplicate-guest-ip and domain/memory-unit on ${last} (now: ${describe(xenDiagnostics(uri))})`,
        () => {
          const ds = xenDiagnostics(uri);
          return ds.some((d) => codeOf(d) === 'host/duplicate-guest-ip') && ds.some((d) => codeOf(d) === 'domain/memory-unit') ? ds : undefined;
        },
        60_000,
      );
    } finally {
      sub.dispose();
    }
    // (the editor may have handed over the final diagnostics between two of its change events)
    hostMs ??= Date.now() - t;
    if (shown[shown.length - 1] !== final.map(codeOf).join(',')) shown.push(final.map(codeOf).join(','));
    const c = await counters(key);
    log(
      `  ${total} files in ${hostRel}: the guest's own diagnostics shown after ${firstOwnMs ?? '?'} ms, the host's by ${hostMs} ms; ` +
        `the editor showed ${shown.join(' → ')}; slices of the host's read ${c.hostReadSlices - before.hostReadSlices}, at each write ${JSON.stringify((c.slicesAtWrite ?? []).map((s) => s - before.hostReadSlices))}`,
    );
    return { before, c, total, shown, final };
  } finally {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(root, { recursive: true, force: true });
    await vscode.commands.executeCommand('workbench.view.explorer');
  }
}

test(`opening one guest of a host of ${GUESTS} guests: its own diagnostics are written before any slice of the host's read runs, then the host's`, async () => {
  // the server's counters, asked through the client (XEN_LS_TEST_COUNTERS=1 in scripts/e2e.sh's trusted run)
  const counters = async (uri?: string): Promise<Counters> => {
    const c = await vscode.commands.executeCommand<Counters | undefined>('xen.test.counters', uri);
    assert.ok(c, 'the server gave no counters: is XEN_LS_TEST_COUNTERS=1 set for this run (scripts/e2e.sh)?');
    return c;
  };
  await counters();
  let o = await openLargeHost('large-host', counters);
  if (o.c.hostReadSlices === o.before.hostReadSlices) {
    // The test needs a host that nothing has read when its guest opens. One CI run of 3 (2026-12-02)
    // found it read already, by something of the editor's that the test does not see (the guest then
    // published once, with the host's diagnostics): once, in a fresh folder, the scenario is run
    // again; the assertions below hold for the attempt that met its precondition, or fail.
    log(`  the host was read before its guest opened (no slice of a read ran): once more, in large-host-2`);
    o = await openLargeHost('large-host-2', counters);
  }
  const { before, c, total, shown, final } = o;
  const isHost = (ds: readonly vscode.Diagnostic[]) => ds.some((d) => codeOf(d).startsWith('host/'));

  const slices = c.slicesAtWrite ?? [];
  const parses = c.parsesAtPublish ?? [];
  assert.ok(
    slices.length >= 2 && parses.length >= 2,
    `two publishes at least: slices at each write ${JSON.stringify(slices)}, parses at each publish ${JSON.stringify(parses)}`,
  );
  assert.equal(
    slices[0],
    before.hostReadSlices,
    `no slice of the host's read ran before the first publish was written (${before.hostReadSlices} before the open, then ${JSON.stringify(slices)})`,
  );
  assert.ok(c.hostReadSlices > before.hostReadSlices, 'the host was read in slices');
  const atFirst = parses[0] - before.parses;
  assert.ok(atFirst <= GUESTS / 10, `texts parsed by the first publish: ${atFirst} of ${total} (the host was read before it)`);
  assert.ok(
    c.hostFilesReadAhead - before.hostFilesReadAhead >= total - 1,
    `the host files other than the open one were read ahead of the check, in slices: ${c.hostFilesReadAhead - before.hostFilesReadAhead}`,
  );
  // the first diagnostics the editor was handed are the file's own, and stay in the final ones
  assert.ok(shown.length > 0 && shown[0] !== '(none)', `the editor showed diagnostics: ${shown.join(' → ')}`);
  assert.ok(shown[0].split(',').includes('domain/memory-unit'), `the first diagnostics shown hold the file's own mistake: ${shown.join(' → ')}`);
  assert.ok(isHost(final), describe(final));
}, 300_000);
