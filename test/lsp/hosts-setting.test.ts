// Duplicate names in xen.hosts (and entries Apply cannot use) are told to the user: the server
// sends a window/showMessage warning when it starts and when the settings change, once per
// distinct set of problems.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TestClient } from '../support/lsp-client';

interface ShowMessage {
  type: number;
  message: string;
}

function messages(client: TestClient): ShowMessage[] {
  const got: ShowMessage[] = [];
  client.connection.onNotification('window/showMessage', (p: ShowMessage) => void got.push(p));
  return got;
}

async function until(pred: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const DUPLICATE = [
  { name: 'dom0', destination: 'root@a.example', folder: 'a' },
  { name: 'dom0', destination: 'root@b.example', folder: 'b' },
];

test('a name used twice in xen.hosts (pulled settings): one warning naming the entry, not repeated', async () => {
  const client = await TestClient.start({ configuration: { hosts: DUPLICATE } });
  const got = messages(client);
  try {
    await until(() => got.length > 0, 'a showMessage');
    assert.equal(got[0].type, 2, 'a warning');
    assert.match(got[0].message, /xen\.hosts entry 2: the name "dom0" is used by an earlier entry/);
    // the same settings again: not told twice
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(got.length, 1, JSON.stringify(got));
  } finally {
    await client.stop();
  }
});

test('pushed settings: a clean xen.hosts says nothing; a duplicate pushed later is told', async () => {
  const client = await TestClient.start();
  const got = messages(client);
  try {
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { xen: { hosts: [DUPLICATE[0]] } } });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(got.length, 0, JSON.stringify(got));
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { xen: { hosts: DUPLICATE } } });
    await until(() => got.length > 0, 'a showMessage');
    assert.match(got[0].message, /used by an earlier entry/);
  } finally {
    await client.stop();
  }
});
