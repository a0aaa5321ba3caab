// xen/apply/prepare against the real server binary: what "Apply to Host" would send from a host
// folder (files under its etc/, the commands, the script, the ssh command line for a terminal),
// refused with the errors while the host's files have any, and a bad xen.hosts entry refused with
// its problems. (The host's current files are read over ssh by the apply tests and the e2e test.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { TestClient } from '../support/lsp-client';
import { serverForFile, ROUTED_SXP, VM1, ROUTED_INTERFACES } from '../support/lsp-server';
import { writeTempHost } from '../support/temp-host';

const INTERFACES = ROUTED_INTERFACES;

let client: TestClient;
serverForFile((c) => (client = c));

const host = (files: Record<string, string>): string => writeTempHost(files, 'xen-apply-lsp-').root;

interface Prep {
  ok: boolean;
  errors?: string[];
  problems?: { uri: string; line: number; message: string }[];
  files?: { path: string; text: string; changes: boolean }[];
  commands?: string[];
  script?: string;
  runner?: string;
  runId?: string;
  ssh?: string;
  confirmSeconds?: number;
  exits?: Record<string, string>;
  successes?: number[];
}

test('a clean host: its files under etc/ with their host paths, the commands, the script and the runner the terminal runs (the script beside it, never in an argument)', async () => {
  const root = host({
    'etc/network/interfaces': INTERFACES,
    'etc/modules': 'dummy\n',
    'etc/xen/xend-config.sxp': ROUTED_SXP,
    'etc/xen/vm1.cfg': VM1,
    'notes.txt': 'not a host file\n',
  });
  const p = await client.request<Prep>('xen/apply/prepare', {
    host: { name: 'dom0', destination: 'root@dom0.example', port: 2222, folder: '.' },
    folderUri: pathToFileURL(root).href,
    workspaceFolderUris: [pathToFileURL(root).href],
    fetch: false,
  });
  assert.equal(p.ok, true, JSON.stringify(p.errors));
  assert.deepEqual(
    p.files!.map((f) => f.path),
    ['/etc/modules', '/etc/network/interfaces', '/etc/xen/vm1.cfg', '/etc/xen/xend-config.sxp'],
  );
  assert.equal(p.files!.find((f) => f.path === '/etc/network/interfaces')!.text, INTERFACES);
  assert.ok(p.commands!.some((c) => /modprobe dummy/.test(c)));
  assert.ok(p.commands!.some((c) => /ifup dummy0/.test(c)));
  assert.ok(p.commands!.some((c) => /xend restart/.test(c)));
  assert.match(p.script!, /^#!\/bin\/sh|xen-apply/m);
  // the terminal runs a local runner; neither it nor any ssh argument carries the script (runner.ts)
  const runner = p.runner!;
  assert.ok(p.ssh!.startsWith('/'), `ssh by an absolute path: ${p.ssh}`);
  assert.match(runner, /'-p' '2222'/);
  assert.match(runner, /'root@dom0\.example'/);
  assert.match(runner, / < "\$here\/payload"/);
  assert.ok(!runner.includes(Buffer.from(INTERFACES).toString('base64').slice(0, 24)), 'the files are not in the runner');
  assert.ok(p.script!.includes(Buffer.from(INTERFACES).toString('base64').slice(0, 24)), 'they are in the script (the payload)');
  assert.match(p.runId!, /^[0-9a-f]{32}$/);
  assert.equal(p.confirmSeconds, 60);
  assert.deepEqual(p.successes, [0, 10]);
  assert.match(p.exits!['255'], /ssh could not connect/);
});

test('refused while the files have errors, with each error and its file:line', async () => {
  const root = host({
    'etc/network/interfaces': INTERFACES.replace('inet static', 'inet statik'),
    'etc/modules': 'dummy\n',
    'etc/xen/xend-config.sxp': ROUTED_SXP,
    'etc/xen/vm1.cfg': VM1.replace('.194', '.193'),
  });
  const p = await client.request<Prep>('xen/apply/prepare', {
    host: { name: 'dom0', destination: 'dom0', folder: '.' },
    folderUri: pathToFileURL(root).href,
    workspaceFolderUris: [pathToFileURL(root).href],
    fetch: false,
  });
  assert.equal(p.ok, false);
  assert.match(p.errors![0], /dom0's files have \d+ errors?: fix/);
  assert.ok(
    p.problems!.some((x) => x.uri.endsWith('/etc/network/interfaces') && x.line === 5),
    JSON.stringify(p.problems),
  );
  assert.ok(
    p.problems!.some((x) => x.uri.endsWith('/etc/xen/vm1.cfg') && /gateway/.test(x.message)),
    JSON.stringify(p.problems),
  );
});

test('a bad xen.hosts entry, an empty folder and junk params: plain refusals, no crash', async () => {
  const bad = await client.request<Prep>('xen/apply/prepare', {
    host: { name: 'x', destination: '-oProxyCommand=evil', folder: '.' },
    folderUri: 'file:///tmp',
    fetch: false,
  });
  assert.equal(bad.ok, false);
  assert.match(bad.errors!.join(' '), /must not start with "-"/);
  const empty = host({ README: 'nothing here\n' });
  const none = await client.request<Prep>('xen/apply/prepare', {
    host: { name: 'e', destination: 'e', folder: '.' },
    folderUri: pathToFileURL(empty).href,
    workspaceFolderUris: [pathToFileURL(empty).href],
    fetch: false,
  });
  assert.equal(none.ok, false);
  assert.match(none.errors![0], /holds none of the host's files/);
  for (const junk of [null, 42, 'x', { host: [] }, { host: { name: 'n', destination: 'd', folder: '.' }, folderUri: 7 }]) {
    const r = await client.request<Prep>('xen/apply/prepare', junk);
    assert.equal(r.ok, false, JSON.stringify(junk));
  }
});
