// The features around addresses over LSP: hover on any address of a host's file, the /nn inlay
// hint after a dotted netmask, the free addresses offered inside ip=, and xen/hostInfo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompletionItem, CompletionList, Hover, InlayHint, MarkupContent, Position, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { TestClient } from '../support/lsp-client';
import { serverForFile, ROUTED_SXP, VM1 } from '../support/lsp-server';
import { writeTempHost } from '../support/temp-host';

const INTERFACES = [
  'auto lo',
  'iface lo inet loopback',
  '',
  'auto dummy0',
  'iface dummy0 inet static',
  '    address 80.68.86.193',
  '    netmask 255.255.255.248',
  '    broadcast 80.68.86.199',
  '',
  'iface eth1 inet static',
  '    address 10.0.0.1',
  '    netmask 255.0.255.0',
  '',
].join('\n');
const MODULES = ['dummy', ''].join('\n');
const VM2 = ["name = 'vm2'", 'memory = 256', "vif = [ 'ip=80.68.86.195,mac=00:16:3e:00:00:02' ]", ''].join('\n');

let client: TestClient;
serverForFile((c) => (client = c));

const writeHost = (files: Record<string, string>) => writeTempHost(files, 'xen-addr-');

function host() {
  return writeHost({
    'etc/network/interfaces': INTERFACES,
    'etc/xen/xend-config.sxp': ROUTED_SXP,
    'etc/modules': MODULES,
    'etc/xen/vm1.cfg': VM1,
    'etc/xen/vm2.cfg': VM2,
  });
}

/** The position of the first occurrence of needle in text, plus delta characters. */
function posOf(text: string, needle: string, delta = 0): Position {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, needle);
  const before = text.slice(0, i + delta).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

async function hoverText(uri: string, position: Position): Promise<string> {
  const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
  assert.ok(h, 'a hover');
  return (h.contents as MarkupContent).value;
}

test('initialize announces inlay hints', () => {
  assert.ok(client.initResult?.capabilities.inlayHintProvider);
});

test('hover on addresses: subnet and its source, role, users with file:line, free count; the format hover comes first', async () => {
  const h = host();
  const vm1 = h.uri('etc/xen/vm1.cfg');
  await client.open(vm1, 'xen-domain', VM1);

  const guest = await hoverText(vm1, posOf(VM1, '80.68.86.194', 3));
  assert.match(guest, /\*\*80\.68\.86\.194\*\*/);
  assert.match(guest, /`80\.68\.86\.192\/29` \(from the gateway stanza dummy0 \(interfaces:5\)\)/);
  assert.match(guest, /role: guest/);
  assert.match(guest, /used by: vm1\.cfg:3 \(vif ip=\)/);
  assert.match(guest, /free: 3 of 6 usable addresses/);

  const ifUri = h.uri('etc/network/interfaces');
  await client.open(ifUri, 'debian-interfaces', INTERFACES);
  const gw = await hoverText(ifUri, posOf(INTERFACES, '80.68.86.193', 1));
  assert.match(gw, /role: gateway of the guests \(on dummy0\)/);
  assert.match(gw, /used by: interfaces:6 \(interface address\)/);
  const bc = await hoverText(ifUri, posOf(INTERFACES, '80.68.86.199'));
  assert.match(bc, /role: broadcast address/);
  // the format's hover on the option name is untouched; on the value it comes first, then ---
  const mask = await hoverText(ifUri, posOf(INTERFACES, '255.255.255.248', 2));
  assert.match(mask, /\*\*255\.255\.255\.248\*\*: a netmask, prefix \/29$/);
  assert.match(await hoverText(ifUri, posOf(INTERFACES, '255.0.255.0')), /not contiguous/);
  const other = await hoverText(ifUri, posOf(INTERFACES, '10.0.0.1'));
  assert.match(other, /role: outside the routed subnet/);
  assert.match(other, /used by: interfaces:11 \(interface address\)/);

  // an address nobody uses, in the xend file (sxp values count too)
  const sxpText = ROUTED_SXP + '(xend-address 80.68.86.196)\n';
  const sxp = h.uri('etc/xen/xend-config.sxp');
  await client.open(sxp, 'xen-xend-config', sxpText);
  const free = await hoverText(sxp, posOf(sxpText, '80.68.86.196'));
  assert.match(free, /role: usable, free/);
  assert.match(free, /used by: nobody/);
  // and the format's own hover (on the key) is there first when the cursor is on a key
  const keyHover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: sxp }, position: posOf(sxpText, 'network-script', 2) });
  assert.ok(keyHover);
  assert.doesNotMatch((keyHover.contents as MarkupContent).value ?? String(keyHover.contents), /role:/);

  // hover on the value of a vif: whatever the format says about ip=, then the address part
  const ipHover = await hoverText(vm1, posOf(VM1, '80.68.86.194'));
  const parts = ipHover.split('\n\n---\n\n');
  assert.ok(parts[parts.length - 1].startsWith('**80.68.86.194**'));

  await client.close(sxp);
  await client.close(ifUri);
  await client.close(vm1);
});

test('hover on an IPv6 address: its full and shortest forms, and no verdict against the IPv4 subnet', async () => {
  const h = host();
  const text = INTERFACES + 'iface eth1 inet6 static\n    address 2001:DB8:0:0::2/64\n    gateway fe80::1%eth1\n';
  const uri = h.uri('etc/network/interfaces');
  await client.open(uri, 'debian-interfaces', text);
  const v6 = await hoverText(uri, posOf(text, '2001:DB8', 3));
  assert.match(v6, /\*\*2001:DB8:0:0::2\*\*: an IPv6 address \(in full `2001:0db8:0000:0000:0000:0000:0000:0002`, shortest `2001:db8::2`\)/);
  assert.doesNotMatch(v6, /outside the routed subnet/);
  assert.match(await hoverText(uri, posOf(text, 'fe80::1')), /shortest `fe80::1%eth1`/);
  // and the file gets no address diagnostic for them
  // (the published set is the one of this text: it has the gapped netmask of eth1 in it)
  // (it may have come already, before the hovers were answered: a publish received counts)
  const ofThisText = (p: PublishDiagnosticsParams) => p.diagnostics.some((d) => /contiguous/.test(String(d.message)));
  const received = client.diagnostics.get(uri);
  const published = received && ofThisText(received) ? received : await client.waitForDiagnostics(uri, ofThisText);
  assert.deepEqual(
    published.diagnostics.filter((d) => /2001|fe80|inet6|IPv6/i.test(String(d.message))),
    [],
  );
  await client.close(uri);
});

test('inlay hint /29 after a contiguous dotted netmask only', async () => {
  const h = host();
  const ifUri = h.uri('etc/network/interfaces');
  await client.open(ifUri, 'debian-interfaces', INTERFACES);
  const hints = await client.request<InlayHint[]>('textDocument/inlayHint', {
    textDocument: { uri: ifUri },
    range: { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } },
  });
  assert.deepEqual(
    hints.map((x) => [x.label, x.position]),
    [['/29', posOf(INTERFACES, '255.255.255.248', '255.255.255.248'.length)]],
  );
  const none = await client.request<InlayHint[]>('textDocument/inlayHint', {
    textDocument: { uri: ifUri },
    range: { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } },
  });
  assert.deepEqual(none, []);
  await client.close(ifUri);
});

async function complete(uri: string, position: Position): Promise<CompletionItem[]> {
  const r = await client.request<CompletionItem[] | CompletionList | null>('textDocument/completion', { textDocument: { uri }, position });
  return Array.isArray(r) ? r : (r?.items ?? []);
}

test('completion inside ip= offers the free addresses first, the first preselected', async () => {
  const h = host();
  const text = ["name = 'vm3'", "vif = [ 'mac=00:16:3e:00:00:03,ip=' ]", ''].join('\n');
  const uri = h.uri('etc/xen/vm3.cfg');
  writeFileSync(join(h.root, 'etc/xen/vm3.cfg'), text);
  await client.open(uri, 'xen-domain', text);
  const items = await complete(uri, posOf(text, "ip='", 3));
  const free = ['80.68.86.196', '80.68.86.197', '80.68.86.198'];
  assert.deepEqual(
    items.slice(0, 3).map((i) => i.label),
    free,
  );
  assert.equal(items[0].preselect, true);
  assert.ok(!items[1].preselect);
  const sorted = [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
  assert.deepEqual(
    sorted.slice(0, 3).map((i) => i.label),
    free,
    'sortText keeps them first',
  );

  // xm's top-level ip = '...': replaces the address being typed
  const xm = ["name = 'vm3'", "ip = '80.68.86.1'", ''].join('\n');
  await client.change(uri, xm);
  const xmItems = await complete(uri, posOf(xm, '86.1', 4));
  assert.deepEqual(
    xmItems.slice(0, 3).map((i) => i.label),
    free,
  );
  const edit = xmItems[0].textEdit as { range: { start: Position; end: Position }; newText: string };
  assert.deepEqual(edit.range, { start: posOf(xm, '80.68.86.1'), end: posOf(xm, "1'", 1) });

  // outside an ip= value: no address
  const elsewhere = await complete(uri, { line: 0, character: 0 });
  assert.ok(!elsewhere.some((i) => free.includes(i.label)));
  await client.close(uri);
});

test('xen/hostInfo: subnet, source, mode, gateway, free count; null for files of no host', async () => {
  const h = host();
  const vm1 = h.uri('etc/xen/vm1.cfg');
  await client.open(vm1, 'xen-domain', VM1);
  const info = await client.request('xen/hostInfo', { uri: vm1 });
  assert.deepEqual(info, {
    subnet: '80.68.86.192/29',
    source: 'the gateway stanza dummy0 (interfaces:5)',
    mode: 'routed',
    gateway: '80.68.86.193',
    free: 3,
  });
  await client.close(vm1);

  // a file on disk, not open, is answered too
  assert.equal(((await client.request('xen/hostInfo', { uri: h.uri('etc/modules') })) as { subnet: string }).subnet, '80.68.86.192/29');

  const loose = 'untitled:vm.cfg';
  await client.open(loose, 'xen-domain', VM1);
  assert.equal(await client.request('xen/hostInfo', { uri: loose }), null);
  await client.close(loose);
  assert.equal(await client.request('xen/hostInfo', {}), null);

  // the setting wins, and says so
  const c = await TestClient.start({ configuration: { network: { routedSubnet: '80.68.86.192/28' } } });
  try {
    const r = (await c.request('xen/hostInfo', { uri: vm1 })) as { subnet: string; source: string; free: number };
    assert.equal(r.subnet, '80.68.86.192/28');
    assert.equal(r.source, 'the setting xen.network.routedSubnet');
    assert.equal(r.free, 11);
  } finally {
    await c.stop();
  }
});
