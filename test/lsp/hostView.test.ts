// xen/hostView over LSP, against the real server: the article's host read from disk (every
// address of the /29 with its role and defining line, the interfaces, the guest and its vif), an
// open document's edit seen at once with its problem placed on the address, a big subnet listed
// in part, and junk params answered with null.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { TestClient } from '../support/lsp-client';
import { serverForFile, ROUTED_SXP, VM1 } from '../support/lsp-server';
import { writeTempHost } from '../support/temp-host';
import type { HostView } from '../../server/src/protocol';

const INTERFACES = [
  'auto lo',
  'iface lo inet loopback',
  '',
  'auto eth0',
  'iface eth0 inet static',
  '    address 80.68.80.24',
  '    netmask 255.255.255.0',
  '    gateway 80.68.80.1',
  '',
  'auto dummy0',
  'iface dummy0 inet static',
  '    address 80.68.86.193',
  '    netmask 255.255.255.248',
  '    broadcast 80.68.86.199',
  '',
].join('\n');

let client: TestClient;
serverForFile((c) => (client = c));

const writeHost = (files: Record<string, string>) => writeTempHost(files, 'xen-view-');

const article = () =>
  writeHost({ 'etc/network/interfaces': INTERFACES, 'etc/xen/xend-config.sxp': ROUTED_SXP, 'etc/modules': 'dummy\n', 'etc/xen/vm1.cfg': VM1 });

test('xen/hostView { root }: the article host, every address of the /29 in order with role and line', async () => {
  const h = article();
  const v = await client.request<HostView | null>('xen/hostView', { root: h.root });
  assert.ok(v);
  assert.equal(v.subnet, '80.68.86.192/29');
  assert.equal(v.mode, 'routed');
  assert.equal(v.free, 4);
  assert.equal(v.usable, 6);
  assert.deepEqual(
    v.addresses.map((a) => `${a.address} ${a.role} ${a.label}`),
    [
      '80.68.86.192 network network',
      '80.68.86.193 gateway gateway on dummy0',
      '80.68.86.194 guest guest vm1 (etc/xen/vm1.cfg)',
      '80.68.86.195 free free',
      '80.68.86.196 free free',
      '80.68.86.197 free free',
      '80.68.86.198 free free',
      '80.68.86.199 broadcast broadcast',
    ],
  );
  const gw = v.addresses[1];
  assert.equal(gw.place?.uri, h.uri('etc/network/interfaces'));
  assert.equal(gw.place?.range.start.line, 11, 'the gateway is defined on "address 80.68.86.193" (line 12)');
  const guest = v.addresses[2];
  assert.equal(guest.place?.uri, h.uri('etc/xen/vm1.cfg'));
  assert.equal(guest.place?.range.start.line, 2);
  assert.equal(guest.guest, 'vm1');
  assert.ok(
    v.addresses.every((a) => a.problems.length === 0),
    JSON.stringify(v.problems),
  );
  assert.equal(v.problems.length, 0);
  // interfaces: eth0 the uplink, dummy0 the gateway's; lo left out
  assert.deepEqual(
    v.interfaces.map((i) => `${i.name} ${i.kind} ${i.address}/${i.prefix}`),
    ['eth0 uplink 80.68.80.24/24', 'dummy0 gateway 80.68.86.193/29'],
  );
  assert.equal(v.interfaces[0].gateway, '80.68.80.1');
  assert.deepEqual(v.gateway && { a: v.gateway.address, i: v.gateway.interface, line: v.gateway.place.range.start.line }, {
    a: '80.68.86.193',
    i: 'dummy0',
    line: 11,
  });
  assert.equal(v.guests.length, 1);
  assert.deepEqual(
    v.guests.map((g) => ({
      name: g.name,
      file: g.file,
      line: g.place.range.start.line,
      vifs: g.vifs.map((x) => `${x.index} ${x.ips.join(' ')} ${x.mode} ${x.place.range.start.line}`),
    })),
    [{ name: 'vm1', file: 'etc/xen/vm1.cfg', line: 0, vifs: ['0 80.68.86.194 routed 2'] }],
  );
  // the same host asked by one of its files
  const byUri = await client.request<HostView | null>('xen/hostView', { uri: h.uri('etc/xen/vm1.cfg') });
  assert.deepEqual(
    byUri?.addresses.map((a) => a.role),
    v.addresses.map((a) => a.role),
  );
});

test('xen/hostView: an open document wins; a guest on the gateway and a wrong broadcast are placed on their entries', async () => {
  const h = article();
  await client.open(h.uri('etc/xen/vm1.cfg'), 'xen-domain', VM1.replace('80.68.86.194', '80.68.86.193'));
  await client.open(h.uri('etc/network/interfaces'), 'debian-interfaces', INTERFACES.replace('broadcast 80.68.86.199', 'broadcast 80.68.86.198'));
  const v = await client.request<HostView | null>('xen/hostView', { root: h.root });
  assert.ok(v);
  const at = (a: string) => v.addresses.find((x) => x.address === a)!;
  assert.equal(at('80.68.86.193').role, 'gateway');
  assert.match(at('80.68.86.193').label, /gateway on dummy0, also held by guest vm1/);
  assert.ok(
    at('80.68.86.193').problems.some((p) => p.code === 'host/guest-ip-gateway'),
    JSON.stringify(at('80.68.86.193').problems),
  );
  assert.equal(at('80.68.86.194').role, 'free');
  assert.ok(
    at('80.68.86.198').problems.some((p) => p.code === 'host/wrong-broadcast'),
    JSON.stringify(v.problems.map((p) => p.code)),
  );
  assert.ok(v.interfaces.find((i) => i.name === 'dummy0')!.problems.some((p) => p.code === 'host/wrong-broadcast'));
  assert.ok(v.guests[0].problems.some((p) => p.code === 'host/guest-ip-gateway'));
  assert.ok(v.guests[0].vifs[0].problems.some((p) => p.code === 'host/guest-ip-gateway'));
  assert.equal(v.free, 5);
  await client.close(h.uri('etc/xen/vm1.cfg'));
  await client.close(h.uri('etc/network/interfaces'));
});

test('xen/hostView: a /16 lists the ends, the used addresses and 16 free ones; junk params give null', async () => {
  const h = writeHost({
    'etc/network/interfaces': INTERFACES.replace('255.255.255.248', '255.255.0.0').replace('broadcast 80.68.86.199', 'broadcast 80.68.255.255'),
    'etc/xen/xend-config.sxp': ROUTED_SXP,
    'etc/xen/vm1.cfg': VM1,
  });
  const v = await client.request<HostView | null>('xen/hostView', { root: pathToFileURL(h.root).href + '/' });
  assert.ok(v);
  assert.equal(v.subnet, '80.68.0.0/16');
  assert.equal(v.addresses[0].address, '80.68.0.0');
  assert.equal(v.addresses[v.addresses.length - 1].role, 'broadcast');
  // eth0's 80.68.80.24 (held) and its gateway 80.68.80.1 (named, not held: still free) fall in the /16 too
  assert.equal(v.addresses.find((a) => a.address === '80.68.80.24')?.role, 'interface');
  assert.equal(v.addresses.find((a) => a.address === '80.68.80.1')?.place?.range.start.line, 7);
  assert.equal(v.addresses.filter((a) => a.role === 'free' && !a.place).length, 16);
  assert.equal(v.free, 65534 - 3);
  assert.equal(v.unlisted, v.free - 16);
  assert.ok(v.addresses.some((a) => a.address === '80.68.86.194' && a.role === 'guest'));
  for (const junk of [undefined, null, 42, {}, { root: 7 }, { uri: ['x'] }, { root: 'relative/path' }]) {
    assert.equal(await client.request('xen/hostView', junk), null, JSON.stringify(junk));
  }
});
