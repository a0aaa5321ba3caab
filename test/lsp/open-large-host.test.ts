// Diagnostics at once on open, in a large host (issue 14): the first file opened in a host of
// 1,000 guests gets its own diagnostics before the server has read the host's other files; those
// are read in slices that leave the server answering requests, and a second publish, which
// replaces the first, holds the host's diagnostics. Counted in work, not time: the server says
// (XEN_LS_TEST_COUNTERS=1) how many texts it had parsed at each publish of the file, and how many
// slices of the host's read had run by the time each publish was written (a slice run before
// the first publish is written holds it back by the slice's work: the listing of the host's
// 1,003 files and 10 ms of parsing).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { DocumentSymbolRequest, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { TestClient } from '../support/lsp-client';
import { removeTempHosts, writeTempHost } from '../support/temp-host';

after(removeTempHosts);

const GUESTS = 1000;

/** 80.68.0.0/22: dummy0 holds 80.68.0.1, guest i (0-based) 80.68.(2 + i >> 8).(2 + i & 255). */
const ip = (i: number) => `80.68.${(2 + i) >> 8}.${(2 + i) & 255}`;

function guest(i: number, address = ip(i)): string {
  return [`name = 'vm${i + 1}'`, 'memory = 256', `vif = [ 'ip=${address}' ]`, ''].join('\n');
}

function host(): Record<string, string> {
  const files: Record<string, string> = {
    'etc/network/interfaces': ['auto dummy0', 'iface dummy0 inet static', '    address 80.68.0.1', '    netmask 255.255.252.0', ''].join('\n'),
    'etc/xen/xend-config.sxp': "(network-script network-route)\n(vif-script 'vif-route netdev=dummy0')\n",
    'etc/modules': 'dummy\n',
  };
  for (let i = 0; i < GUESTS; i++) files[`etc/xen/vm${i + 1}.cfg`] = guest(i);
  return files;
}

interface Counters {
  parses: number;
  hostFilesReadAhead: number;
  parsesAtPublish: number[];
  hostReadSlices: number;
  slicesAtWrite: number[];
}

test(`a host of ${GUESTS} guests: the opened file's own diagnostics before the host is read, the host's in the publish that follows`, async () => {
  const files = host();
  // the last guest takes the first's address: a host diagnostic (host/duplicate-guest-ip) and a
  // file diagnostic of its own (memory = 512M: domain/memory-unit)
  const last = `etc/xen/vm${GUESTS}.cfg`;
  const lastText = guest(GUESTS - 1, ip(0)).replace('memory = 256', "memory = '512M'");
  files[last] = lastText;
  const h = writeTempHost(files, 'xen-open-large-');
  const uri = h.uri(last);
  const client = await TestClient.start({ env: { XEN_LS_TEST_COUNTERS: '1' } });
  try {
    const counters = (u?: string) => client.request<Counters>('xen/test/counters', { uri: u });
    const before = (await counters()).parses;
    const isHost = (p: PublishDiagnosticsParams) => p.diagnostics.some((d) => String(d.code).startsWith('host/'));
    let outlineBeforeHost: boolean | undefined;
    const first = client.waitForDiagnostics(uri, () => true, 30_000);
    const final = client.waitForDiagnostics(uri, isHost, 60_000).then((p) => {
      outlineBeforeHost ??= false;
      return p;
    });
    await client.open(uri, 'xen-domain', lastText);

    const p1 = await first;
    // a request sent once the first publish is in: answered while the host is still being read
    const outline = client.request<unknown[]>(DocumentSymbolRequest.method, { textDocument: { uri } }).then((r) => {
      outlineBeforeHost ??= true;
      return r;
    });
    const p2 = await final;
    assert.ok(Array.isArray(await outline), 'the outline is answered');
    const c = await counters(uri);

    assert.ok(!isHost(p1), `the first publish holds no host diagnostic: ${JSON.stringify(p1.diagnostics.map((d) => d.code))}`);
    assert.ok(p1.diagnostics.length > 0, 'the first publish holds the file its own diagnostics');
    assert.ok(c.parsesAtPublish.length >= 2, `two publishes at least: ${JSON.stringify(c.parsesAtPublish)}`);
    const atFirst = c.parsesAtPublish[0] - before;
    assert.ok(atFirst <= GUESTS / 10, `texts parsed by the first publish: ${atFirst} of ${GUESTS + 3} (the host was read before it)`);
    const atLast = c.parsesAtPublish[c.parsesAtPublish.length - 1] - before;
    assert.equal(atLast, GUESTS + 3, 'by the final publish every file of the host is parsed');
    assert.equal(c.parses - before, GUESTS + 3, 'each text parsed once: the read ahead and the check share the parses');
    assert.equal(c.hostFilesReadAhead, GUESTS + 2, 'the host files other than the open one were read ahead of the check, in slices');
    assert.equal(c.slicesAtWrite[0], 0, `no slice of the host's read ran before the first publish was written: ${JSON.stringify(c.slicesAtWrite)}`);
    assert.ok(c.hostReadSlices > 0, 'the host was read in slices');
    assert.equal(outlineBeforeHost, true, 'the outline asked for after the first publish was answered before the host was all read');

    // the final publish keeps the file's own diagnostics and adds the host's
    const own = p1.diagnostics.map((d) => `${String(d.code)} ${d.message}`);
    const all = p2.diagnostics.map((d) => `${String(d.code)} ${d.message}`);
    for (const d of own) assert.ok(all.includes(d), `the final publish keeps ${d}`);
    assert.ok(
      p2.diagnostics.some((d) => d.code === 'host/duplicate-guest-ip'),
      `the final publish holds the duplicate address: ${JSON.stringify(p2.diagnostics.map((d) => d.code))}`,
    );

    // opened again: the host is read, one publish with everything at once
    const cleared = client.waitForDiagnostics(uri, (p) => p.diagnostics.length === 0, 30_000);
    await client.close(uri);
    await cleared;
    const again = client.waitForDiagnostics(uri, () => true, 30_000);
    await client.open(uri, 'xen-domain', lastText);
    const p3 = await again;
    assert.ok(isHost(p3), 'a file of a host already read gets its host diagnostics in its first publish');
  } finally {
    await client.stop();
  }
});
