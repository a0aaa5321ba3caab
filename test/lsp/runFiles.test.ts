// xen/apply/runFiles and xen/apply/discardRun against the real server: the files the terminal runs
// are written by the server, from the preparation it answered (the runner and the script it
// prepared, named by the run's id), into a private folder; once per run; junk and unknown ids
// refused; a run whose terminal did not start is removed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestClient } from '../support/lsp-client';
import { serverForFile, ROUTED_SXP, VM1, ROUTED_INTERFACES } from '../support/lsp-server';
import { writeTempHost } from '../support/temp-host';
import { ApplyDiscardRunNotification, ApplyPrepareRequest, ApplyRunFilesRequest, type ApplyPreparation, type ApplyRunFiles } from '../../server/src/protocol';

const INTERFACES = ROUTED_INTERFACES;

let client: TestClient;
serverForFile((c) => (client = c));

async function prepared(): Promise<Extract<ApplyPreparation, { ok: true }>> {
  const root = writeTempHost(
    { 'etc/network/interfaces': INTERFACES, 'etc/modules': 'dummy\n', 'etc/xen/xend-config.sxp': ROUTED_SXP, 'etc/xen/vm1.cfg': VM1 },
    'xen-runfiles-',
  ).root;
  const p = await client.request<ApplyPreparation>(ApplyPrepareRequest.method, {
    host: { name: 'dom0', destination: 'root@dom0.example', folder: '.' },
    folderUri: pathToFileURL(root).href,
    workspaceFolderUris: [pathToFileURL(root).href],
    fetch: false,
  });
  assert.ok(p.ok, JSON.stringify(p));
  return p;
}

test('the server writes the prepared runner and script into a private folder; the terminal runs /bin/sh <folder>/run.sh; once per run', async () => {
  const p = await prepared();
  const r = await client.request<ApplyRunFiles>(ApplyRunFilesRequest.method, { runId: p.runId });
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(r.argv.length, 2);
  assert.equal(r.argv[0], '/bin/sh');
  const dir = dirname(r.argv[1]);
  try {
    assert.ok(r.argv[1].endsWith('/run.sh'), r.argv[1]);
    assert.equal(readFileSync(r.argv[1], 'utf8'), p.runner, 'run.sh is the runner the preparation showed');
    assert.equal(readFileSync(`${dir}/payload`, 'utf8'), p.script, 'the payload is the script the preparation showed');
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(statSync(r.argv[1]).mode & 0o777, 0o600);
    assert.equal(statSync(`${dir}/payload`).mode & 0o777, 0o600);
    // nothing of the files in an argument
    assert.ok(!r.argv.join(' ').includes('dummy0'));
    // a second terminal for the same run: refused (prepare again)
    const again = await client.request<ApplyRunFiles>(ApplyRunFilesRequest.method, { runId: p.runId });
    assert.equal(again.ok, false);
    assert.match(again.ok ? '' : again.errors.join(' '), /prepare it again/);
  } finally {
    // the terminal did not start (this test runs none): the server removes the folder
    await client.connection.sendNotification(ApplyDiscardRunNotification.method, { runId: p.runId });
  }
  const deadline = Date.now() + 5000;
  while (existsSync(dir) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 20));
  assert.ok(!existsSync(dir), `${dir} was removed`);
});

test('unknown, missing and junk run ids are refused; a refused preparation leaves nothing to run', async () => {
  for (const params of [{ runId: 'ab'.repeat(16) }, {}, null, { runId: 42 }, { runId: '../../etc/passwd' }]) {
    const r = await client.request<ApplyRunFiles>(ApplyRunFilesRequest.method, params);
    assert.equal(r.ok, false, JSON.stringify(params));
  }
  const bad = await client.request<ApplyPreparation>(ApplyPrepareRequest.method, {
    host: { name: 'x', destination: 'x', folder: '.' },
    folderUri: 'file:///nonexistent-xen-host',
    workspaceFolderUris: [],
    fetch: false,
  });
  assert.equal(bad.ok, false);
  // a discard of what was never written, and junk: nothing happens, the server goes on answering
  await client.connection.sendNotification(ApplyDiscardRunNotification.method, { runId: 'cd'.repeat(16) });
  await client.connection.sendNotification(ApplyDiscardRunNotification.method, null);
  const p = await prepared();
  const r = await client.request<ApplyRunFiles>(ApplyRunFilesRequest.method, { runId: p.runId });
  assert.ok(r.ok);
  await client.connection.sendNotification(ApplyDiscardRunNotification.method, { runId: p.runId });
  assert.ok(client.alive);
});
