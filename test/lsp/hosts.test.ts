// xen/hosts against the real server: the hosts of the workspace folders as the host checker knows
// them (etc/ trees at any depth below a folder, a folder whose files lie side by side, a folder
// that is a host's etc itself), each answering xen/hostView with its own uri; what is not a host
// (a folder whose only file of ours is a setup.cfg, node_modules, an etc/ reached through a link
// out of the folder) left out; and the globs the client watches.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestClient } from '../support/lsp-client';
import { ROUTED_SXP, VM1 } from '../support/lsp-server';
import { removeTempHosts, writeTempHost } from '../support/temp-host';
import { HostsRequest, HostViewRequest, type HostsResult, type HostView } from '../../server/src/protocol';
import { HostIndex } from '../../server/src/host/index';
import { hostWatchGlobs } from '../../server/src/host/table';
import { workspaceHosts } from '../../server/src/features/hosts';
import { MAX_DEPTH } from '../../server/src/host/reader';

const INTERFACES = [
  'auto lo',
  'iface lo inet loopback',
  '',
  'auto dummy0',
  'iface dummy0 inet static',
  '    address 80.68.86.193',
  '    netmask 255.255.255.248',
  '',
].join('\n');

const clients: TestClient[] = [];
after(async () => {
  for (const c of clients) await c.stop();
  removeTempHosts();
});

async function serverFor(folders: string[]): Promise<TestClient> {
  const c = await TestClient.start({ workspaceFolders: folders.map((f) => pathToFileURL(f).href) });
  clients.push(c);
  return c;
}

const uriOf = (p: string) => pathToFileURL(p).href;

test('etc/ trees below a workspace folder, at any depth; not node_modules, not an etc/ without a Xen file, not one behind a link out of the folder', async () => {
  const outside = writeTempHost({ 'etc/network/interfaces': INTERFACES }, 'xen-hosts-outside-');
  const ws = writeTempHost(
    {
      'hostA/etc/network/interfaces': INTERFACES,
      'hostA/etc/xen/xend-config.sxp': ROUTED_SXP,
      'hostA/etc/xen/vm1.cfg': VM1,
      'hostB/etc/xen/xl.conf': 'vif.default.script="vif-route"\n',
      'deep/er/host C/etc/xen/web.cfg': VM1.replace('vm1', 'web'),
      'node_modules/pkg/etc/network/interfaces': INTERFACES,
      'unrelated/etc/sysctl.conf': 'net.ipv4.ip_forward = 1\n',
      'README.md': '# hosts\n',
    },
    'xen-hosts-ws-',
  );
  mkdirSync(join(ws.root, 'linked'));
  symlinkSync(outside.root, join(ws.root, 'linked', 'away'));
  const c = await serverFor([ws.root]);
  const r = await c.request<HostsResult>(HostsRequest.method, {});
  assert.equal(r.complete, true);
  const folder = uriOf(ws.root);
  assert.deepEqual(
    r.hosts.map((h) => [h.root, h.layout, h.name, h.folder]),
    [
      [`${folder}/deep/er/host%20C`, 'etc-tree', 'host C', folder],
      [`${folder}/hostA`, 'etc-tree', 'hostA', folder],
      [`${folder}/hostB`, 'etc-tree', 'hostB', folder],
    ],
  );
  // each host's uri asks xen/hostView for that host
  for (const h of r.hosts) {
    const v = await c.request<HostView | null>(HostViewRequest.method, { uri: h.uri });
    assert.ok(v, h.root);
    assert.equal(v.root, h.root);
  }
  const a = await c.request<HostView | null>(HostViewRequest.method, { uri: r.hosts[1].uri });
  assert.equal(a?.subnet, '80.68.86.192/29');
  assert.deepEqual(
    a?.guests.map((g) => g.name),
    ['vm1'],
  );
  // what the client watches: the host table's files, in an etc/ tree and in a folder host
  assert.deepEqual(r.watch, hostWatchGlobs());
  for (const g of ['**/etc/network/interfaces', '**/etc/xen/*.cfg', '**/etc/sysctl.d/*.conf', 'interfaces', '*.cfg', 'xen/xend-config.sxp'])
    assert.ok(r.watch.includes(g), `${g} in ${JSON.stringify(r.watch)}`);
});

test("a workspace folder whose files lie side by side is a host (layout folder), and so is one that is a host's etc itself; a folder with only a setup.cfg is not", async () => {
  const plain = writeTempHost({ interfaces: INTERFACES, 'xend-config.sxp': ROUTED_SXP, 'vm1.cfg': VM1 }, 'xen-hosts-plain-');
  const etcItself = writeTempHost({ 'etc/network/interfaces': INTERFACES, 'etc/modules': 'dummy\n' }, 'xen-hosts-etc-');
  const python = writeTempHost({ 'setup.cfg': '[metadata]\nname = x\n', 'src/app.py': 'print(1)\n' }, 'xen-hosts-py-');
  const c = await serverFor([plain.root, join(etcItself.root, 'etc'), python.root]);
  const r = await c.request<HostsResult>(HostsRequest.method, {});
  const byRoot = new Map(r.hosts.map((h) => [h.root, h]));
  assert.deepEqual([...byRoot.keys()].sort(), [uriOf(etcItself.root), uriOf(plain.root)].sort());
  const p = byRoot.get(uriOf(plain.root))!;
  assert.equal(p.layout, 'folder');
  assert.equal(p.folder, uriOf(plain.root));
  const v = await c.request<HostView | null>(HostViewRequest.method, { uri: p.uri });
  assert.equal(v?.root, p.root);
  assert.equal(v?.subnet, '80.68.86.192/29');
  assert.deepEqual(
    v?.guests.map((g) => [g.name, g.file]),
    [['vm1', 'vm1.cfg']],
  );
  // the folder opened as the host's /etc: its host is the folder above it, an etc/ tree
  const e = byRoot.get(uriOf(etcItself.root))!;
  assert.equal(e.layout, 'etc-tree');
  assert.equal(e.folder, uriOf(join(etcItself.root, 'etc')));
  const ev = await c.request<HostView | null>(HostViewRequest.method, { uri: e.uri });
  assert.equal(ev?.root, e.root);
  assert.ok(ev?.interfaces.some((i) => i.name === 'dummy0'));
});

test('no workspace folder: no host; a host created afterwards is found at the next request', async () => {
  const c = await serverFor([]);
  const none = await c.request<HostsResult>(HostsRequest.method, {});
  assert.deepEqual(none.hosts, []);
  assert.equal(none.complete, true);
  const ws = writeTempHost({ 'notes.txt': 'x\n' }, 'xen-hosts-later-');
  const c2 = await serverFor([ws.root]);
  assert.deepEqual((await c2.request<HostsResult>(HostsRequest.method, {})).hosts, []);
  mkdirSync(join(ws.root, 'h', 'etc', 'network'), { recursive: true });
  writeFileSync(join(ws.root, 'h', 'etc', 'network', 'interfaces'), INTERFACES);
  const r = await c2.request<HostsResult>(HostsRequest.method, {});
  assert.deepEqual(
    r.hosts.map((h) => h.root),
    [`${uriOf(ws.root)}/h`],
  );
});

test('the search keeps to its bounds: an etc/ deeper than MAX_DEPTH is not looked for, and a spent budget answers complete: false', () => {
  const deep = 'a/'.repeat(MAX_DEPTH + 1);
  const ws = writeTempHost(
    { [`${deep}etc/network/interfaces`]: INTERFACES, [`${'b/'.repeat(MAX_DEPTH)}etc/network/interfaces`]: INTERFACES },
    'xen-hosts-deep-',
  );
  const checker = new HostIndex();
  checker.setWorkspaceFolders([uriOf(ws.root)]);
  const r = workspaceHosts(checker);
  assert.equal(r.complete, true);
  assert.deepEqual(
    r.hosts.map((h) => h.root),
    [`${uriOf(ws.root)}/${'b/'.repeat(MAX_DEPTH).slice(0, -1)}`],
  );
  const spent = workspaceHosts(checker, -1);
  assert.equal(spent.complete, false);
  assert.deepEqual(spent.hosts, []);
});
