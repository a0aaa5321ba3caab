// The host model over LSP: diagnostics across the files of one host (open documents and the
// files on disk), and the quick fixes that clear them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, Diagnostic, PublishDiagnosticsParams, TextEdit, TextDocumentEdit, CreateFile } from 'vscode-languageserver-protocol';
import { TestClient } from '../support/lsp-client';
import { serverForFile, ROUTED_SXP, VM1, ROUTED_INTERFACES } from '../support/lsp-server';
import { writeTempHost } from '../support/temp-host';
import { repoRoot } from '../support/paths';
import { LineIndex } from '../../server/src/core/text';

const INTERFACES = ROUTED_INTERFACES;
const MODULES = ['dummy', 'loop', ''].join('\n');
const VM2 = ["name = 'vm2'", 'memory = 256', "vif = [ 'ip=80.68.86.195' ]", ''].join('\n');

let client: TestClient;
serverForFile((c) => (client = c));

/** Writes a host's files under a new temp dir; returns the uri of each relative path. */
const writeHost = (files: Record<string, string>) => writeTempHost(files, 'xen-host-');

const codes = (p: PublishDiagnosticsParams | undefined) => (p?.diagnostics ?? []).map((d) => String(d.code));
const hasCode = (code: string) => (p: PublishDiagnosticsParams) => codes(p).includes(code);

function apply(text: string, edits: TextEdit[]): string {
  const lines = new LineIndex(text);
  const sorted = edits
    .map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

function editsFor(action: CodeAction, uri: string): TextEdit[] {
  const edit = action.edit!;
  if (edit.changes) return edit.changes[uri] ?? [];
  return (edit.documentChanges ?? [])
    .filter((c): c is TextDocumentEdit => 'textDocument' in c && c.textDocument.uri === uri)
    .flatMap((c) => c.edits as TextEdit[]);
}

async function actionsFor(uri: string, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
  const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics, only } });
}

test('initialize announces code actions: quick fixes and source.fixAll.xen', () => {
  const cap = client.initResult?.capabilities.codeActionProvider;
  assert.ok(cap && typeof cap === 'object');
  assert.deepEqual((cap as { codeActionKinds: string[] }).codeActionKinds, ['quickfix', 'source.fixAll.xen']);
});

test('wrong broadcast and a guest on the gateway address: diagnostics across files, fixed by the quick fixes', async () => {
  const badIfaces = INTERFACES.replace('broadcast 80.68.86.199', 'broadcast 80.68.86.200');
  const badVm = VM1.replace('80.68.86.194', '80.68.86.193');
  const h = writeHost({
    'etc/network/interfaces': badIfaces,
    'etc/xen/xend-config.sxp': ROUTED_SXP,
    'etc/modules': MODULES,
    'etc/xen/vm1.cfg': badVm,
    'etc/xen/vm2.cfg': VM2,
  });
  const ifUri = h.uri('etc/network/interfaces');
  const vmUri = h.uri('etc/xen/vm1.cfg');

  const ifWait = client.waitForDiagnostics(ifUri, hasCode('host/wrong-broadcast'));
  await client.open(ifUri, 'debian-interfaces', badIfaces);
  const ifDiags = await ifWait;
  assert.deepEqual(codes(ifDiags), ['host/wrong-broadcast']);

  const vmWait = client.waitForDiagnostics(vmUri, hasCode('host/guest-ip-gateway'));
  await client.open(vmUri, 'xen-domain', badVm);
  const vmDiags = await vmWait;
  assert.deepEqual(codes(vmDiags), ['host/guest-ip-gateway']);
  const gwDiag = vmDiags.diagnostics[0];
  assert.equal(gwDiag.relatedInformation?.[0]?.location.uri, ifUri, 'the related information points at the interfaces file');
  assert.equal(gwDiag.relatedInformation?.[0]?.location.range.start.line, 5);

  // fix the broadcast
  const bActions = await actionsFor(ifUri, ifDiags.diagnostics, ['quickfix']);
  assert.equal(bActions.length, 1);
  const unfiltered = await actionsFor(ifUri, ifDiags.diagnostics);
  assert.deepEqual(
    unfiltered.map((a) => a.kind),
    ['quickfix', 'source.fixAll.xen'],
    'without `only`, the fix-all action comes too',
  );
  assert.equal(bActions[0].kind, 'quickfix');
  assert.equal(bActions[0].isPreferred, true);
  const fixedIfaces = apply(badIfaces, editsFor(bActions[0], ifUri));
  assert.equal(fixedIfaces, INTERFACES);
  const ifClean = client.waitForDiagnostics(ifUri, (p) => p.diagnostics.length === 0);
  await client.change(ifUri, fixedIfaces);
  await ifClean;

  // fix the guest's address: one action per free address (vm2 holds .195), the first preferred
  const aActions = await actionsFor(vmUri, [gwDiag], ['quickfix']);
  assert.deepEqual(
    aActions.map((a) => a.title),
    ['Use the free address 80.68.86.194', 'Use the free address 80.68.86.196', 'Use the free address 80.68.86.197', 'Use the free address 80.68.86.198'],
  );
  assert.deepEqual(
    aActions.map((a) => a.isPreferred === true),
    [true, false, false, false],
  );
  const fixedVm = apply(badVm, editsFor(aActions[0], vmUri));
  assert.equal(fixedVm, VM1);
  const vmClean = client.waitForDiagnostics(vmUri, (p) => p.diagnostics.length === 0);
  await client.change(vmUri, fixedVm);
  await vmClean;

  // an edit of one file re-publishes the other: the host takes the guest's address
  const taken = INTERFACES.replace('address 80.68.86.193', 'address 80.68.86.194');
  const vmFlagged = client.waitForDiagnostics(vmUri, hasCode('host/guest-ip-gateway'));
  await client.change(ifUri, taken);
  await vmFlagged;
  const vmAgain = client.waitForDiagnostics(vmUri, (p) => p.diagnostics.length === 0);
  await client.change(ifUri, INTERFACES);
  await vmAgain;

  // closing the guest's file: the interfaces file is still clean (vm1 read from disk is wrong,
  // but the guest's verdict lands on vm1, which is closed)
  await client.close(vmUri);
  await client.close(ifUri);
});

test('vif without ip= and a bridge while routing: fix-all adds the address and drops the bridge', async () => {
  const bad = ["name = 'vm3'", "vif = [ 'mac=00:16:3e:00:00:03, bridge=xenbr0' ]", ''].join('\n');
  const h = writeHost({
    'etc/network/interfaces': INTERFACES,
    'etc/xen/xend-config.sxp': ROUTED_SXP,
    'etc/modules': MODULES,
    'etc/xen/vm1.cfg': VM1,
    'etc/xen/vm3.cfg': bad,
  });
  const uri = h.uri('etc/xen/vm3.cfg');
  const wait = client.waitForDiagnostics(uri, (p) => hasCode('host/vif-without-ip')(p) && hasCode('host/bridge-in-routed')(p));
  await client.open(uri, 'xen-domain', bad);
  const p = await wait;
  assert.deepEqual(codes(p).sort(), ['host/bridge-in-routed', 'host/vif-without-ip']);

  const quick = await actionsFor(
    uri,
    p.diagnostics.filter((d) => d.code === 'host/vif-without-ip'),
    ['quickfix'],
  );
  assert.equal(quick[0].title, 'Add ip=80.68.86.195 to this vif');
  assert.equal(apply(bad, editsFor(quick[0], uri)), bad.replace("'mac=", "'ip=80.68.86.195,mac="));

  const all = await actionsFor(uri, p.diagnostics, ['source.fixAll']);
  assert.equal(all.length, 1);
  assert.equal(all[0].kind, 'source.fixAll.xen');
  const fixed = apply(bad, editsFor(all[0], uri));
  assert.equal(fixed, ["name = 'vm3'", "vif = [ 'ip=80.68.86.195,mac=00:16:3e:00:00:03' ]", ''].join('\n'));
  const clean = client.waitForDiagnostics(uri, (x) => x.diagnostics.length === 0);
  await client.change(uri, fixed);
  await clean;
  await client.close(uri);
});

test('xend: vif-route without netdev=dummy0, mismatched scripts, unquoted value: each fix clears its diagnostic', async () => {
  const cases: [string, string, string][] = [
    ['(network-script network-route)\n(vif-script vif-route)\n', 'host/routed-netdev', ROUTED_SXP],
    ["(network-script network-bridge)\n(vif-script 'vif-route netdev=dummy0')\n", 'host/script-modes-differ', ROUTED_SXP],
    ['(network-script network-route)\n(vif-script vif-route netdev=dummy0)\n', 'sxp/unquoted-spaces', ROUTED_SXP],
  ];
  for (const [bad, code, good] of cases) {
    const h = writeHost({ 'etc/network/interfaces': INTERFACES, 'etc/modules': MODULES, 'etc/xen/vm1.cfg': VM1, 'etc/xen/xend-config.sxp': bad });
    const uri = h.uri('etc/xen/xend-config.sxp');
    const wait = client.waitForDiagnostics(uri, hasCode(code));
    await client.open(uri, 'xen-xend-config', bad);
    const p = await wait;
    const actions = await actionsFor(
      uri,
      p.diagnostics.filter((d) => d.code === code),
    );
    assert.ok(actions.length >= 1, code);
    const fixed = apply(bad, editsFor(actions[0], uri));
    assert.equal(fixed, good, code);
    const clean = client.waitForDiagnostics(uri, (x) => x.diagnostics.length === 0);
    await client.change(uri, fixed);
    await clean;
    await client.close(uri);
  }
});

test('dummy0 without /etc/modules: the fix creates the file with dummy', async () => {
  const h = writeHost({ 'etc/network/interfaces': INTERFACES, 'etc/xen/xend-config.sxp': ROUTED_SXP, 'etc/xen/vm1.cfg': VM1 });
  const uri = h.uri('etc/network/interfaces');
  const wait = client.waitForDiagnostics(uri, hasCode('host/dummy-module-missing'));
  await client.open(uri, 'debian-interfaces', INTERFACES);
  const p = await wait;
  const actions = await actionsFor(uri, p.diagnostics, ['quickfix']);
  assert.equal(actions.length, 1);
  const changes = actions[0].edit?.documentChanges ?? [];
  const modulesUri = h.uri('etc/modules');
  assert.deepEqual(changes[0], { kind: 'create', uri: modulesUri, options: { ignoreIfExists: true } } satisfies CreateFile);
  assert.equal(apply('', editsFor(actions[0], modulesUri)), 'dummy\n');

  // the module list exists but lacks dummy: a plain edit appends it
  writeFileSync(join(h.root, 'etc/modules'), 'loop');
  const mUri = modulesUri;
  const w2 = client.waitForDiagnostics(mUri, () => true);
  await client.open(mUri, 'kernel-modules', 'loop');
  await w2;
  const p2 = await client.waitForDiagnostics(uri, (x) => x.diagnostics.some((d) => d.code === 'host/dummy-module-missing' && d.severity === 2));
  const a2 = await actionsFor(uri, p2.diagnostics);
  const appended = apply('loop', editsFor(a2[0], mUri));
  assert.equal(appended, 'loop\ndummy\n');
  const clean = client.waitForDiagnostics(uri, (x) => x.diagnostics.length === 0);
  await client.change(mUri, appended);
  await clean;
  await client.close(mUri);
  await client.close(uri);
});

test("the article's host (the e2e fixture) has no diagnostics, host checks included", async () => {
  const root = join(repoRoot, 'test', 'e2e', 'fixtures', 'article-host');
  const files: [string, string][] = [
    ['etc/network/interfaces', 'debian-interfaces'],
    ['etc/xen/xend-config.sxp', 'xen-xend-config'],
    ['etc/modules', 'kernel-modules'],
    ['etc/xen/vm1.cfg', 'xen-domain'],
  ];
  const { readFileSync } = await import('node:fs');
  for (const [rel, lang] of files) {
    const uri = pathToFileURL(join(root, rel)).href;
    const wait = client.waitForDiagnostics(uri);
    await client.open(uri, lang, readFileSync(join(root, rel), 'utf8'));
    const p = await wait;
    assert.deepEqual(p.diagnostics, [], `${rel}: ${JSON.stringify(p.diagnostics)}`);
  }
  await new Promise((r) => setTimeout(r, 300));
  for (const [rel] of files) {
    const uri = pathToFileURL(join(root, rel)).href;
    assert.deepEqual(client.diagnostics.get(uri)?.diagnostics, [], rel);
    await client.close(uri);
  }
});

test('xl: routed default without gatewaydev, a vif naming its script, xm top-level gateway: the fixes clear them', async () => {
  const xlConf = 'vif.default.script="vif-route"\n';
  const vm = ["name = 'vm4'", "vif = [ 'ip=80.68.86.194,script=vif-route' ]", ''].join('\n');
  const h = writeHost({
    'etc/network/interfaces': INTERFACES,
    'etc/modules': MODULES,
    'etc/xen/xl.conf': xlConf,
    'etc/xen/vm4.cfg': vm,
    'etc/sysctl.d/xen-routed.conf': 'net.ipv4.ip_forward = 1\n',
  });
  const xlUri = h.uri('etc/xen/xl.conf');
  const vmUri = h.uri('etc/xen/vm4.cfg');
  const w1 = client.waitForDiagnostics(xlUri, hasCode('host/routed-gatewaydev'));
  await client.open(xlUri, 'xen-domain', xlConf);
  const p1 = await w1;
  const a1 = await actionsFor(
    xlUri,
    p1.diagnostics.filter((d) => d.code === 'host/routed-gatewaydev'),
    ['quickfix'],
  );
  const fixedXl = apply(xlConf, editsFor(a1[0], xlUri));
  assert.equal(fixedXl, 'vif.default.script="vif-route"\nvif.default.gatewaydev="dummy0"\n');

  const w2 = client.waitForDiagnostics(vmUri, hasCode('host/routed-gatewaydev'));
  await client.open(vmUri, 'xen-domain', vm);
  const p2 = await w2;
  const a2 = await actionsFor(
    vmUri,
    p2.diagnostics.filter((d) => d.code === 'host/routed-gatewaydev'),
    ['quickfix'],
  );
  const fixedVm = apply(vm, editsFor(a2[0], vmUri));
  assert.equal(fixedVm, vm.replace('script=vif-route', 'script=vif-route,gatewaydev=dummy0'));

  const xlClean = client.waitForDiagnostics(xlUri, (x) => x.diagnostics.length === 0);
  const vmClean = client.waitForDiagnostics(vmUri, (x) => x.diagnostics.length === 0);
  await client.change(xlUri, fixedXl);
  await xlClean;
  await client.change(vmUri, fixedVm);
  await vmClean;
  await client.close(xlUri);
  await client.close(vmUri);

  // xm's kernel-line gateway: set to the host's address
  const xm = ["name = 'vm5'", "vif = [ 'ip=80.68.86.195' ]", "gateway = '80.68.86.1'", ''].join('\n');
  const h2 = writeHost({ 'etc/network/interfaces': INTERFACES, 'etc/modules': MODULES, 'etc/xen/xend-config.sxp': ROUTED_SXP, 'etc/xen/vm5.cfg': xm });
  const xmUri = h2.uri('etc/xen/vm5.cfg');
  const w3 = client.waitForDiagnostics(xmUri, hasCode('host/xm-gateway-mismatch'));
  await client.open(xmUri, 'xen-domain', xm);
  const p3 = await w3;
  const a3 = await actionsFor(
    xmUri,
    p3.diagnostics.filter((d) => d.code === 'host/xm-gateway-mismatch'),
    ['quickfix'],
  );
  const fixedXm = apply(xm, editsFor(a3[0], xmUri));
  assert.equal(fixedXm, xm.replace("'80.68.86.1'", "'80.68.86.193'"));
  const xmClean = client.waitForDiagnostics(xmUri, (x) => !x.diagnostics.some((d) => String(d.code).startsWith('host/')));
  await client.change(xmUri, fixedXm);
  await xmClean;
  await client.close(xmUri);
});

test('xen.network.routedSubnet: a guest outside the configured block is flagged; an unreadable value falls back to interfaces', async () => {
  for (const [routedSubnet, expectFlag] of [
    ['80.68.86.192/30', true],
    ['not a subnet', false],
  ] as const) {
    const c = await TestClient.start({ configuration: { network: { routedSubnet } } });
    try {
      const vm = ["name = 'vm6'", "vif = [ 'ip=80.68.86.197' ]", ''].join('\n');
      const h = writeHost({ 'etc/network/interfaces': INTERFACES, 'etc/modules': MODULES, 'etc/xen/xend-config.sxp': ROUTED_SXP, 'etc/xen/vm6.cfg': vm });
      const uri = h.uri('etc/xen/vm6.cfg');
      const w = c.waitForDiagnostics(uri);
      await c.open(uri, 'xen-domain', vm);
      const p = await w;
      assert.deepEqual(codes(p), expectFlag ? ['host/guest-ip-outside-subnet'] : [], routedSubnet);
      if (expectFlag) assert.match(String(p.diagnostics[0].message), /xen\.network\.routedSubnet/);
    } finally {
      await c.stop();
    }
  }
});

test('a guest written to disk while the host is open is seen once the editor reports the new file', async () => {
  const host = writeHost({ 'etc/network/interfaces': INTERFACES, 'etc/xen/xend-config.sxp': ROUTED_SXP, 'etc/modules': MODULES, 'etc/xen/vm1.cfg': VM1 });
  const vm1 = host.uri('etc/xen/vm1.cfg');
  const clean = client.waitForDiagnostics(vm1);
  await client.open(vm1, 'xen-domain', VM1);
  assert.deepEqual(codes(await clean), []);
  // another guest on the same address appears on disk, and the client's file watcher says so
  writeFileSync(join(host.root, 'etc/xen/vm2.cfg'), VM1.replace("'vm1'", "'vm2'"));
  const dup = client.waitForDiagnostics(vm1, hasCode('host/duplicate-guest-ip'));
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: host.uri('etc/xen/vm2.cfg'), type: 1 }] });
  const p = await dup;
  const d = p.diagnostics.find((x) => x.code === 'host/duplicate-guest-ip')!;
  assert.ok(
    d.relatedInformation?.some((r) => r.location.uri === host.uri('etc/xen/vm2.cfg')),
    JSON.stringify(d),
  );
  await client.close(vm1);
});

test('interfaces `source`s its stanzas: the gateway in interfaces.d is read from disk, nested and by pattern; source-directory follows run-parts names', async () => {
  const main = ['auto lo', 'iface lo inet loopback', '', 'source /etc/network/interfaces.d/*', 'source-directory local.d', ''].join('\n');
  const gatewayFile = [
    'auto dummy0',
    'iface dummy0 inet static',
    '    address 80.68.86.193',
    '    netmask 255.255.255.248',
    '    broadcast 80.68.86.199',
    '',
    'source ../extra/*.cfg',
    '',
  ].join('\n');
  const h = writeHost({
    'etc/network/interfaces': main,
    'etc/network/interfaces.d/dummy0': gatewayFile,
    // nested: named by the sourced file, relative to its own folder
    'etc/network/extra/eth1.cfg': ['iface eth1 inet static', '    address 80.68.86.197', '    netmask 255.255.255.248', ''].join('\n'),
    // source-directory: relative to /etc/network; a name with a dot is skipped, as run-parts does
    'etc/network/local.d/eth2': ['iface eth2 inet manual', ''].join('\n'),
    'etc/network/local.d/skip.me': ['iface eth3 inet static', '    address 80.68.86.194', '    netmask 255.255.255.248', ''].join('\n'),
    'etc/xen/xend-config.sxp': ROUTED_SXP,
    'etc/modules': MODULES,
    // a guest on the gateway's address, and one on eth1's: both flagged from the sourced files
    'etc/xen/vm1.cfg': ["name = 'vm1'", 'memory = 256', "vif = [ 'ip=80.68.86.193' ]", ''].join('\n'),
    'etc/xen/vm2.cfg': ["name = 'vm2'", 'memory = 256', "vif = [ 'ip=80.68.86.197' ]", ''].join('\n'),
    'etc/xen/vm3.cfg': ["name = 'vm3'", 'memory = 256', "vif = [ 'ip=80.68.86.194' ]", ''].join('\n'),
  });
  const vm1 = h.uri('etc/xen/vm1.cfg');
  const vm1Text = ["name = 'vm1'", 'memory = 256', "vif = [ 'ip=80.68.86.193' ]", ''].join('\n');
  await client.open(vm1, 'xen-domain', vm1Text);
  const p = await client.waitForDiagnostics(vm1, (x) => x.diagnostics.some((d) => String(d.code).startsWith('host/')));
  const gw = p.diagnostics.find((d) => /gateway/i.test(String(d.message)));
  assert.ok(gw, JSON.stringify(p.diagnostics));
  assert.ok(
    gw.relatedInformation?.some((r) => r.location.uri === h.uri('etc/network/interfaces.d/dummy0')),
    JSON.stringify(gw.relatedInformation),
  );
  const info = await client.request<{ subnet?: string } | null>('xen/hostInfo', { uri: vm1 });
  assert.equal(info?.subnet, '80.68.86.192/29');

  const vm2 = h.uri('etc/xen/vm2.cfg');
  await client.open(vm2, 'xen-domain', ["name = 'vm2'", 'memory = 256', "vif = [ 'ip=80.68.86.197' ]", ''].join('\n'));
  const p2 = await client.waitForDiagnostics(vm2, (x) => x.diagnostics.some((d) => String(d.code).startsWith('host/')));
  assert.ok(
    p2.diagnostics.some(
      (d) => d.code === 'host/guest-ip-host-address' && d.relatedInformation?.some((r) => r.location.uri === h.uri('etc/network/extra/eth1.cfg')),
    ),
    JSON.stringify(p2.diagnostics),
  );

  // skip.me is not read (run-parts names only): vm3 on .194 is fine
  const vm3 = h.uri('etc/xen/vm3.cfg');
  await client.open(vm3, 'xen-domain', ["name = 'vm3'", 'memory = 256', "vif = [ 'ip=80.68.86.194' ]", ''].join('\n'));
  const p3 = await client.waitForDiagnostics(vm3);
  assert.deepEqual(
    codes(p3).filter((c) => c.startsWith('host/')),
    [],
  );
  for (const u of [vm1, vm2, vm3]) await client.close(u);
});

test('a workspace folder with no etc/ tree is a host: laid out as /etc itself, or with its files side by side', async () => {
  for (const layout of ['as-etc', 'flat'] as const) {
    const rel = (etcPath: string, flatName: string) => (layout === 'as-etc' ? etcPath : flatName);
    const files: Record<string, string> = {
      [rel('network/interfaces', 'interfaces')]: INTERFACES,
      [rel('xen/xend-config.sxp', 'xend-config.sxp')]: ROUTED_SXP,
      [rel('modules', 'modules')]: MODULES,
      [rel('xen/vm2.cfg', 'vm2.cfg')]: ["name = 'vm2'", 'memory = 256', "vif = [ 'ip=80.68.86.194' ]", ''].join('\n'),
    };
    const { root } = writeTempHost(files, 'xen-folder-');
    const folder = pathToFileURL(root).href;
    const c = await TestClient.start({ workspaceFolders: [folder] });
    try {
      // vm1, open, takes vm2's address (vm2 is read from disk): both sides of the conflict show in vm1
      const vm1 = pathToFileURL(join(root, rel('xen/vm1.cfg', 'vm1.cfg'))).href;
      await c.open(vm1, 'xen-domain', ["name = 'vm1'", 'memory = 256', "vif = [ 'ip=80.68.86.194' ]", ''].join('\n'));
      const p = await c.waitForDiagnostics(vm1, (x) => codes(x).includes('host/duplicate-guest-ip'));
      const dup = p.diagnostics.find((d) => d.code === 'host/duplicate-guest-ip')!;
      assert.equal(dup.relatedInformation?.[0].location.uri, pathToFileURL(join(root, rel('xen/vm2.cfg', 'vm2.cfg'))).href, layout);
      const info = await c.request<{ subnet?: string } | null>('xen/hostInfo', { uri: vm1 });
      assert.equal(info?.subnet, '80.68.86.192/29', layout);
    } finally {
      await c.stop();
    }
  }
  // and without the folder, the same file has no host: no host/ diagnostic
  const { root: lone } = writeTempHost({ 'vm2.cfg': "name = 'vm2'\nvif = [ 'ip=80.68.86.194' ]\n" }, 'xen-lone-');
  const vm1 = pathToFileURL(join(lone, 'vm1.cfg')).href;
  await client.open(vm1, 'xen-domain', "name = 'vm1'\nvif = [ 'ip=80.68.86.194' ]\n");
  const p = await client.waitForDiagnostics(vm1);
  assert.deepEqual(
    codes(p).filter((x) => x.startsWith('host/')),
    [],
  );
  await client.close(vm1);
});
