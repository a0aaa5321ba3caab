// A setting the server cannot use is told to the user with its reason (window/showMessage, a
// warning), once per distinct problem, and the server goes on with the default in its place.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestClient } from '../support/lsp-client';
import { removeTempHosts, writeTempHost } from '../support/temp-host';

after(removeTempHosts);

const INTERFACES = ['auto dummy0', 'iface dummy0 inet static', '  address 80.68.86.193', '  netmask 255.255.255.248', ''].join('\n');
const VM = ["name = 'vm1'", "vif = [ 'ip=80.68.86.194' ]", ''].join('\n');

interface ShownMessage {
  type: number;
  message: string;
}

async function messagesFor(configuration: unknown): Promise<{ shown: ShownMessage[]; codes: string[] }> {
  const c = await TestClient.start({ configuration });
  const shown: ShownMessage[] = [];
  c.connection.onNotification('window/showMessage', (p: ShownMessage) => void shown.push(p));
  try {
    const h = writeTempHost({
      'etc/network/interfaces': INTERFACES,
      'etc/modules': 'dummy\n',
      'etc/xen/vm1.cfg': VM,
      'etc/xen/vm2.cfg': VM.replace(/vm1/, 'vm2').replace('194', '195'),
    });
    const codes: string[] = [];
    // two documents: the configuration is pulled for each, the problem is told once
    for (const rel of ['etc/xen/vm1.cfg', 'etc/xen/vm2.cfg']) {
      const uri = h.uri(rel);
      const w = c.waitForDiagnostics(uri);
      await c.open(uri, 'xen-domain', rel.endsWith('vm1.cfg') ? VM : VM.replace(/vm1/, 'vm2').replace('194', '195'));
      codes.push(...(await w).diagnostics.map((d) => String(d.code)));
    }
    // a request answered after the notifications were sent: every showMessage has arrived
    await c.request('textDocument/hover', { textDocument: { uri: h.uri('etc/xen/vm1.cfg') }, position: { line: 0, character: 0 } });
    return { shown, codes };
  } finally {
    await c.stop();
  }
}

test('an unusable xen.network.routedSubnet and gatewayInterface are shown with their reasons, once each', async () => {
  const { shown, codes } = await messagesFor({ network: { routedSubnet: '80.68.86.194/29', gatewayInterface: 'lo' } });
  const subnet = shown.filter((m) => m.message.startsWith('xen.network.routedSubnet:'));
  const iface = shown.filter((m) => m.message.startsWith('xen.network.gatewayInterface:'));
  assert.equal(subnet.length, 1, JSON.stringify(shown));
  assert.match(subnet[0].message, /80\.68\.86\.194\/29 is not the start of a block.*Write 80\.68\.86\.192\/29/);
  assert.match(subnet[0].message, /learnt from the host's files/);
  assert.equal(iface.length, 1, JSON.stringify(shown));
  assert.match(iface[0].message, /loopback/);
  for (const m of shown) assert.equal(m.type, 2, 'a warning');
  // the defaults stand in: the subnet is learnt from dummy0's stanza, the guests are inside it
  assert.ok(!codes.includes('host/guest-ip-outside-subnet'), codes.join(' '));
});

test('usable settings are not remarked on', async () => {
  const { shown } = await messagesFor({ network: { routedSubnet: ' 80.68.86.192/29 ', gatewayInterface: 'dummy0' }, interfaces: { dialect: 'ifupdown' } });
  assert.deepEqual(shown, []);
});

test('a setting outside its choices is told too', async () => {
  const { shown } = await messagesFor({ interfaces: { dialect: 'netplan' } });
  assert.equal(shown.length, 1, JSON.stringify(shown));
  assert.match(shown[0].message, /^xen\.interfaces\.dialect: 'netplan' is not one of 'auto', 'ifupdown', 'ifupdown2', 'ifupdown-ng'; 'auto' is used\.$/);
});
