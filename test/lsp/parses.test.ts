// One parse per change (issue 13): the server parses a document's text once per version, and the
// host model reads that same parse; a file the host read from disk is not parsed again when it is
// opened with the same text. The server counts its parses (XEN_LS_TEST_COUNTERS=1).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestClient } from '../support/lsp-client';
import { removeTempHosts, writeTempHost } from '../support/temp-host';

after(removeTempHosts);

const FILES: Record<string, string> = {
  'etc/network/interfaces': 'auto lo\niface lo inet loopback\n\nauto dummy0\niface dummy0 inet static\n    address 10.0.0.1\n    netmask 255.255.255.0\n',
  'etc/modules': 'dummy\n',
  'etc/xen/xend-config.sxp': "(network-script network-route)\n(vif-script 'vif-route netdev=dummy0')\n",
  'etc/xen/vm1.cfg': 'name = "vm1"\nmemory = 256\nvif = [ \'ip=10.0.0.2\' ]\n',
  'etc/xen/vm2.cfg': 'name = "vm2"\nmemory = 256\nvif = [ \'ip=10.0.0.3\' ]\n',
  'etc/sysctl.d/xen-routed.conf': 'net.ipv4.ip_forward = 1\n',
};

async function parses(client: TestClient): Promise<number> {
  const r = (await client.connection.sendRequest('xen/test/counters', {})) as { parses: number };
  return r.parses;
}

test('the server parses each text once: per version of a document, and a disk file not again when opened as it is', async () => {
  const { root, uri } = writeTempHost(FILES, 'xen-parses-');
  const client = await TestClient.start({ env: { XEN_LS_TEST_COUNTERS: '1' } });
  try {
    const text = (rel: string) => readFileSync(join(root, rel), 'utf8');
    // opening the first file: it is parsed, and the host's 5 other files are read from disk, once each
    const ifaces = uri('etc/network/interfaces');
    let published = client.waitForDiagnostics(ifaces);
    await client.open(ifaces, 'debian-interfaces', text('etc/network/interfaces'));
    await published;
    assert.equal(await parses(client), Object.keys(FILES).length, 'every file of the host parsed once on the first open');

    // opening a file the host already read, with the text on disk: no parse
    const vm1 = uri('etc/xen/vm1.cfg');
    published = client.waitForDiagnostics(vm1);
    await client.open(vm1, 'xen-domain', text('etc/xen/vm1.cfg'));
    await published;
    const afterOpen = await parses(client);
    assert.equal(afterOpen, Object.keys(FILES).length, 'a file opened as the disk holds it is not parsed again');

    // each change: exactly one parse (the document's), though every open file of the host is checked again
    for (let i = 0; i < 3; i++) {
      published = client.waitForDiagnostics(vm1, (p) => p.version === i + 2);
      await client.change(vm1, text('etc/xen/vm1.cfg').replace('memory = 256', `memory = ${300 + i}`));
      await published;
      // (the other open file's check, caused by this change, has run by the time its diagnostics come)
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(await parses(client), afterOpen + i + 1, `change ${i + 1}: one parse`);
    }
    const beforeIfaceEdit = await parses(client);
    published = client.waitForDiagnostics(ifaces, (p) => p.version === 2);
    await client.change(ifaces, text('etc/network/interfaces') + '# a comment\n');
    await published;
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(await parses(client), beforeIfaceEdit + 1, 'an edit of interfaces: one parse');
  } finally {
    await client.stop();
  }
});
