// The server as any LSP client sees it: a real process on stdio.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { CompletionItem, CompletionList, DocumentSymbol, FoldingRange, Hover } from 'vscode-languageserver-protocol';
import { TestClient } from '../support/lsp-client';
import { ROUTED_INTERFACES, serverForFile } from '../support/lsp-server';
import { repoRoot } from '../support/paths';

const bin = join(repoRoot, 'server', 'bin', 'xen-language-server');

const INTERFACES = '# The host of the routed setup\n' + ROUTED_INTERFACES;

const SXP = ['# -*- sh -*-', '(network-script network-route)', "(vif-script 'vif-route netdev=dummy0')", '(dom0-min-mem 196)', ''].join('\n');
const DOMAIN = ["name = 'vm1'", 'memory = 256', "vif = [ 'ip=80.68.86.194' ]", ''].join('\n');
const MODULES = ['# /etc/modules', 'dummy', 'loop', ''].join('\n');

let client: TestClient;
serverForFile((c) => (client = c));

function items(r: CompletionItem[] | CompletionList | null): CompletionItem[] {
  if (!r) return [];
  return Array.isArray(r) ? r : r.items;
}

test('initialize announces the features the server serves', () => {
  const caps = client.initResult?.capabilities;
  assert.ok(caps?.hoverProvider && caps.documentSymbolProvider && caps.foldingRangeProvider && caps.completionProvider);
  assert.equal(client.initResult?.serverInfo?.name, 'xen-language-server');
});

test('--version and --help answer without starting a server; no transport is a usage error', () => {
  const v = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
  assert.equal(v.status, 0);
  assert.match(v.stdout, /^xen-language-server \d+\.\d+\.\d+/);
  const h = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
  assert.equal(h.status, 0);
  assert.match(h.stdout, /--stdio/);
  const none = spawnSync(process.execPath, [bin], { encoding: 'utf8' });
  assert.equal(none.status, 2);
});

test('the article host files open without errors in all four languages', async () => {
  const files: [string, string, string][] = [
    ['file:///host/etc/network/interfaces', 'debian-interfaces', INTERFACES],
    ['file:///host/etc/xen/xend-config.sxp', 'xen-xend-config', SXP],
    ['file:///host/etc/xen/vm1.cfg', 'xen-domain', DOMAIN],
    ['file:///host/etc/modules', 'kernel-modules', MODULES],
  ];
  for (const [uri, lang, text] of files) {
    const wait = client.waitForDiagnostics(uri);
    await client.open(uri, lang, text);
    const p = await wait;
    const errors = p.diagnostics.filter((d) => d.severity === 1);
    assert.deepEqual(errors, [], `${uri}: ${JSON.stringify(errors)}`);
    assert.equal(p.version, 1);
  }
});

test('a mistake typed into interfaces is reported with a stable code, and cleared when fixed', async () => {
  const uri = 'file:///host2/etc/network/interfaces';
  await client.open(uri, 'debian-interfaces', INTERFACES);
  await client.waitForDiagnostics(uri);
  const broken = INTERFACES.replace('iface dummy0 inet static', 'iface dummy0 inet statik');
  const wait = client.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.severity === 1));
  const v = await client.change(uri, broken);
  const p = await wait;
  assert.equal(p.version, v);
  const d = p.diagnostics.find((x) => x.severity === 1)!;
  assert.equal(d.source, 'xen');
  assert.equal(typeof d.code, 'string');
  assert.match(String(d.code), /^interfaces\//);
  assert.equal(d.range.start.line, 5);
  assert.match(typeof d.message === 'string' ? d.message : d.message.value, /statik/);
  const cleared = client.waitForDiagnostics(uri, (x) => !x.diagnostics.some((d2) => d2.severity === 1));
  await client.change(uri, INTERFACES);
  await cleared;
});

test('a burst of edits publishes only for the latest version (stale checks are dropped)', async () => {
  const uri = 'file:///burst/etc/xen/vm1.cfg';
  await client.open(uri, 'xen-domain', DOMAIN);
  await client.waitForDiagnostics(uri);
  const before = client.publishCount.get(uri) ?? 0;
  let last = 0;
  for (let i = 0; i < 20; i++) last = await client.change(uri, DOMAIN + `# edit ${i}\n`);
  const p = await client.waitForDiagnostics(uri, (x) => x.version === last);
  assert.equal(p.version, last);
  const count = (client.publishCount.get(uri) ?? 0) - before;
  // the server debounces (200 ms by default): twenty quick edits are one check, not twenty
  assert.ok(count <= 2, `published ${count} times for a burst of 20 edits`);
});

test('hover, completion, symbols and folding answer for each language', async () => {
  const uri = 'file:///feat/etc/network/interfaces';
  await client.open(uri, 'debian-interfaces', INTERFACES);
  const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 6, character: 6 } });
  assert.ok(hover, 'hover on `address`');
  assert.match(JSON.stringify(hover.contents), /address/i);
  const comp = items(await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 9, character: 0 } }));
  assert.ok(
    comp.some((c) => c.label === 'iface'),
    `stanza keywords offered at a line start: ${comp.map((c) => c.label).join(', ')}`,
  );
  const syms = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
  assert.ok(
    syms.some((s) => s.name.includes('dummy0')),
    JSON.stringify(syms.map((s) => s.name)),
  );
  const folds = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri } });
  assert.ok(
    folds.some((f) => f.startLine === 5),
    JSON.stringify(folds),
  );

  const sxp = 'file:///feat/etc/xen/xend-config.sxp';
  await client.open(sxp, 'xen-xend-config', SXP);
  const h2 = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: sxp }, position: { line: 1, character: 3 } });
  assert.ok(h2 && /network/i.test(JSON.stringify(h2.contents)));
  const s2 = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: sxp } });
  assert.ok(s2.some((s) => s.name.includes('vif-script')));

  const dom = 'file:///feat/etc/xen/vm1.cfg';
  await client.open(dom, 'xen-domain', DOMAIN);
  const h3 = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: dom }, position: { line: 2, character: 1 } });
  assert.ok(h3 && /vif|network/i.test(JSON.stringify(h3.contents)));
  const c3 = items(await client.request('textDocument/completion', { textDocument: { uri: dom }, position: { line: 2, character: 11 } }));
  assert.ok(
    c3.some((c) => /^(mac|bridge|script)/.test(c.label)),
    `vif keys inside a vifspec: ${c3.map((c) => c.label).join(', ')}`,
  );

  const mod = 'file:///feat/etc/modules';
  await client.open(mod, 'kernel-modules', MODULES);
  const s4 = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: mod } });
  assert.deepEqual(
    s4.map((s) => s.name),
    ['dummy', 'loop'],
  );
});

test('a client that sends its own language ids is served by file name', async () => {
  const uri = 'file:///other/etc/network/interfaces';
  const wait = client.waitForDiagnostics(uri);
  await client.open(uri, 'plaintext', 'iface eth0 inet bogus\n');
  const p = await wait;
  assert.ok(p.diagnostics.some((d) => d.severity === 1 && String(d.code).startsWith('interfaces/')));
  const unrelated = 'file:///other/README.txt';
  await client.open(unrelated, 'plaintext', 'iface eth0 inet bogus\n');
  const syms = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: unrelated } });
  assert.deepEqual(syms, []);
});

test('a file is read by its name: modules-load.d takes no parameters; related locations point into the document', async () => {
  const uri = 'file:///host/etc/modules-load.d/net.conf';
  const wait = client.waitForDiagnostics(uri, (p) => p.diagnostics.length >= 2);
  await client.open(uri, 'kernel-modules', 'dummy numdummies=2\nloop\nloop\n');
  const p = await wait;
  assert.ok(
    p.diagnostics.some((d) => d.code === 'modules/parameters-not-allowed' && d.range.start.line === 0),
    JSON.stringify(p.diagnostics),
  );
  const dup = p.diagnostics.find((d) => d.code === 'modules/duplicate-module');
  assert.ok(dup, JSON.stringify(p.diagnostics));
  assert.equal(dup.range.start.line, 2);
  assert.deepEqual(
    dup.relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line]),
    [[uri, 1]],
  );
  // the same line in /etc/modules is fine: parameters are allowed there
  const etc = 'file:///host/etc/modules';
  const wait2 = client.waitForDiagnostics(etc);
  await client.open(etc, 'kernel-modules', 'dummy numdummies=2\n');
  assert.deepEqual((await wait2).diagnostics, []);
});

test('closing a document clears its diagnostics', async () => {
  const uri = 'file:///close/etc/network/interfaces';
  await client.open(uri, 'debian-interfaces', 'iface eth0 inet bogus\n');
  await client.waitForDiagnostics(uri, (p) => p.diagnostics.length > 0);
  const cleared = client.waitForDiagnostics(uri, (p) => p.diagnostics.length === 0);
  await client.close(uri);
  await cleared;
});

test('the server survives hostile input in every language and keeps answering', async () => {
  const bytes = Buffer.alloc(4096);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) % 256;
  const inputs = [
    bytes.toString('latin1'),
    bytes.toString('utf8'),
    '\u0000\u0000iface\u0000 eth0 inet static\n\u0000',
    '\uFEFFauto lo\r\niface lo inet loopback\r\n',
    'x'.repeat(10 * 1024 * 1024),
    '('.repeat(100_000),
    "vif = [ '".repeat(10_000),
    '\\\n'.repeat(10_000),
  ];
  const langs: [string, string][] = [
    ['debian-interfaces', 'etc/network/interfaces'],
    ['xen-xend-config', 'etc/xen/xend-config.sxp'],
    ['xen-domain', 'etc/xen/h.cfg'],
    ['kernel-modules', 'etc/modules'],
  ];
  let n = 0;
  for (const [lang, path] of langs) {
    for (const text of inputs) {
      const uri = `file:///hostile${n++}/${path}`;
      const wait = client.waitForDiagnostics(uri, () => true, 60_000);
      await client.open(uri, lang, text);
      await wait;
      for (const method of ['textDocument/documentSymbol', 'textDocument/foldingRange']) {
        await client.request(method, { textDocument: { uri } });
      }
      await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 3 } });
      await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 3 } });
      await client.close(uri);
    }
  }
  assert.ok(client.alive, 'server process still running');
  assert.deepEqual(
    client.logs.filter((l) => /internal error|uncaught|unhandled/.test(l)),
    [],
  );
});
