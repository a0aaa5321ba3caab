// Issue 12, time budgets: a check that overruns its budget is abandoned with a diagnostic that
// says so, and the server goes on answering. The server runs with a budget of 2 ms here
// (XEN_LS_BUDGET_MS), so that a file of 80,000 lines overruns it whatever the machine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Hover, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { TestClient } from '../support/lsp-client';

let client: TestClient;
before(async () => {
  client = await TestClient.start({ env: { XEN_LS_BUDGET_MS: '2' } });
});
after(async () => {
  await client.stop();
});

const codes = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => String(d.code));

test('a file whose reading overruns the budget gets server/check-timeout; the server answers the next request', async () => {
  const big = 'untitled:/budget/etc/network/interfaces';
  const text = 'iface eth0 inet static\n  address 10.0.0.1/24\n'.repeat(40_000);
  const published = client.waitForDiagnostics(big, (p) => p.diagnostics.length > 0, 20_000);
  await client.open(big, 'debian-interfaces', text);
  const p = await published;
  assert.deepEqual(codes(p), ['server/check-timeout'], JSON.stringify(p.diagnostics).slice(0, 500));
  assert.match(String(p.diagnostics[0].message), /took longer than 2 ms and was abandoned/);
  // a request on it is abandoned too (an empty answer), and one on a small file is answered
  const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: big }, position: { line: 0, character: 1 } });
  assert.equal(h, null);
  const small = 'untitled:/budget2/etc/network/interfaces';
  const smallPublished = client.waitForDiagnostics(small, () => true, 20_000);
  await client.open(small, 'debian-interfaces', 'auto lo\niface lo inet loopback\nauto eth9\n');
  const sp = await smallPublished;
  assert.deepEqual(codes(sp), ['interfaces/auto-without-iface']);
  const hs = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: small }, position: { line: 1, character: 1 } });
  assert.ok(hs, 'the small file is answered');
  assert.ok(client.alive);
});
