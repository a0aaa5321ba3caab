// xen/live/check over LSP, against the real server: this machine read (the host the server runs
// on) and compared with a host folder; the findings published with the open file's diagnostics and
// answered by xen/hostView, then gone from both when an edit fixes the line; junk params refused.
// (The faults themselves, on a running routed host over ssh: test/network/live.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TestClient } from '../support/lsp-client';
import { serverForFile, ROUTED_INTERFACES_NO_BROADCAST as INTERFACES, ROUTED_SXP, VM1 } from '../support/lsp-server';
import { writeTempHost } from '../support/temp-host';
import type { HostView, LiveCheck } from '../../server/src/protocol';

let client: TestClient;
serverForFile((c) => (client = c));

// (the routed host of the article: this machine, whatever it runs, is compared with it)

test('xen/live/check of this machine: the answer, the published diagnostics and the view agree; an edit moves them', async () => {
  const h = writeTempHost({ 'etc/network/interfaces': INTERFACES, 'etc/xen/xend-config.sxp': ROUTED_SXP, 'etc/xen/vm1.cfg': VM1 }, 'xen-live-lsp-');
  const uri = h.uri('etc/network/interfaces');
  await client.open(uri, 'debian-interfaces', INTERFACES);
  const r = await client.request<LiveCheck>('xen/live/check', { uri, timeoutMs: 20_000 });
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(r.where, 'local');
  assert.equal(r.hostName, 'this machine');
  assert.ok(!Number.isNaN(Date.parse(r.at)));
  assert.ok(
    r.findings.every((f) => f.code.startsWith('live/')),
    JSON.stringify(r.findings),
  );
  // what was answered for the interfaces file is what is published on it
  const mine = r.findings.filter((f) => f.uri === uri);
  const published = await client.waitForDiagnostics(uri, (p) => p.diagnostics.filter((d) => String(d.code).startsWith('live/')).length === mine.length);
  assert.deepEqual(
    published.diagnostics.filter((d) => String(d.code).startsWith('live/')).map((d) => [d.code, d.range.start.line]),
    mine.map((f) => [f.code, f.range.start.line]),
  );
  const view = await client.request<HostView | null>('xen/hostView', { uri });
  assert.deepEqual(view?.live?.findings, r.findings);
  assert.deepEqual(view?.live?.notes, r.notes);
  // a line added above the stanza: the findings follow the line without reading the host again
  if (mine.length) {
    await client.change(uri, '# moved\n' + INTERFACES);
    const moved = await client.waitForDiagnostics(uri, (p) => p.version === 2);
    assert.deepEqual(
      moved.diagnostics.filter((d) => String(d.code).startsWith('live/')).map((d) => [d.code, d.range.start.line]),
      mine.map((f) => [f.code, f.range.start.line + 1]),
    );
  }
});

test('xen/live/check refuses junk: no host, a bad xen.hosts entry, a folder without a host', async () => {
  for (const params of [null, 42, {}, { uri: 7 }]) {
    const r = await client.request<LiveCheck>('xen/live/check', params);
    assert.equal(r.ok, false, JSON.stringify(params));
  }
  const h = writeTempHost({ 'etc/network/interfaces': INTERFACES }, 'xen-live-lsp-');
  const bad = await client.request<LiveCheck>('xen/live/check', { root: h.root, host: { name: 'x', destination: '-oProxyCommand=sh', folder: h.root } });
  assert.equal(bad.ok, false);
  if (!bad.ok) assert.match(bad.errors.join(' '), /must not start with "-"/);
  const empty = writeTempHost({ 'notes.txt': 'nothing here\n' }, 'xen-live-lsp-');
  const none = await client.request<LiveCheck>('xen/live/check', { root: empty.root });
  assert.equal(none.ok, false);
});
