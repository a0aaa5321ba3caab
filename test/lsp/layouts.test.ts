// Hosts of every layout get everything (issue 13, item 6): a folder that is the host's /etc itself,
// and a folder whose files lie side by side, are generated into and applied from, not only checked.
// The host table (server/src/host/table.ts) maps each file to its path on the host.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CreateFile, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { TestClient } from '../support/lsp-client';
import { serverForFile, ROUTED_SXP, VM1, ROUTED_INTERFACES } from '../support/lsp-server';
import { removeTempHosts, writeTempHost } from '../support/temp-host';
import { LineIndex } from '../../server/src/core/text';

after(removeTempHosts);

let client: TestClient;
serverForFile((c) => (client = c));

const INTERFACES = ROUTED_INTERFACES;

interface Response {
  edit: WorkspaceEdit;
  summary: string[];
  files: string[];
  addresses?: Record<string, string>;
}
type Refusal = { error: string; field?: string };

function ok(r: Response | Refusal): Response {
  if ('error' in r) assert.fail(`refused: ${r.error}`);
  return r;
}

/** Writes a WorkspaceEdit to disk as a client would (no file open). */
function applyToDisk(edit: WorkspaceEdit): void {
  for (const c of edit.documentChanges ?? []) {
    if ('kind' in c) {
      const p = fileURLToPath((c as CreateFile).uri);
      assert.ok(!existsSync(p), `create of an existing file ${p}`);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, '');
      continue;
    }
    const te = c as TextDocumentEdit;
    const p = fileURLToPath(te.textDocument.uri);
    let text = readFileSync(p, 'utf8');
    const lines = new LineIndex(text);
    const edits = (te.edits as TextEdit[])
      .map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), newText: e.newText }))
      .sort((a, b) => b.start - a.start);
    for (const e of edits) text = text.slice(0, e.start) + e.newText + text.slice(e.end);
    writeFileSync(p, text);
  }
}

const rel = (root: string, uris: string[]) => uris.map((u) => fileURLToPath(u).slice(root.length + 1)).sort();

test("a folder that is the host's /etc: addGuest and routedSetup write where its files are (network/, xen/, modules)", async () => {
  const { root } = writeTempHost({ 'network/interfaces': INTERFACES, 'xen/xend-config.sxp': ROUTED_SXP, 'xen/vm1.cfg': VM1 }, 'xen-layout-etc-');
  const state = await client.request<{ cidr: string | null; guests: string[]; toolstack: string | null }>('xen/generate/hostState', {
    root: pathToFileURL(root).href,
  });
  assert.equal(state.cidr, '80.68.86.192/29');
  assert.deepEqual(state.guests, ['vm1']);
  assert.equal(state.toolstack, 'xend');

  const added = ok(await client.request<Response | Refusal>('xen/generate/addGuest', { root: pathToFileURL(root).href, name: 'vm2' }));
  assert.deepEqual(rel(root, added.files), ['xen/vm2.cfg']);
  assert.deepEqual(added.addresses, { vm2: '80.68.86.195' });
  applyToDisk(added.edit);

  const setup = ok(
    await client.request<Response | Refusal>('xen/generate/routedSetup', {
      root: pathToFileURL(root).href,
      answers: { cidr: '80.68.86.192/29', toolstack: 'xend', guests: ['vm1', 'vm2', 'vm3'] },
    }),
  );
  // the guests already there keep their addresses; modules is new, at the folder's top (it is /etc)
  assert.deepEqual(rel(root, setup.files), ['modules', 'xen/vm1.cfg', 'xen/vm3.cfg']);
  assert.ok(!setup.files.some((u) => u.includes('/etc/')), 'nothing under an etc/ folder of its own');
  applyToDisk(setup.edit);
  assert.match(readFileSync(join(root, 'modules'), 'utf8'), /^dummy$/m);
  assert.match(readFileSync(join(root, 'xen', 'vm3.cfg'), 'utf8'), /ip=80\.68\.86\.196/);
});

test('a folder whose files lie side by side: generate writes side by side, each file named as the table says', async () => {
  const { root } = writeTempHost({ interfaces: INTERFACES, 'xend-config.sxp': ROUTED_SXP, 'vm1.cfg': VM1 }, 'xen-layout-flat-');
  const added = ok(await client.request<Response | Refusal>('xen/generate/addGuest', { root: pathToFileURL(root).href, name: 'vm2' }));
  assert.deepEqual(rel(root, added.files), ['vm2.cfg']);
  assert.deepEqual(added.addresses, { vm2: '80.68.86.195' });
  applyToDisk(added.edit);

  const switched = ok(await client.request<Response | Refusal>('xen/generate/switchMode', { root: pathToFileURL(root).href, mode: 'bridged' }));
  assert.deepEqual(rel(root, switched.files), ['xend-config.sxp']);
  applyToDisk(switched.edit);
  assert.match(readFileSync(join(root, 'xend-config.sxp'), 'utf8'), /network-bridge/);

  const back = ok(await client.request<Response | Refusal>('xen/generate/switchMode', { root: pathToFileURL(root).href, mode: 'routed' }));
  // modules is new: side by side too
  assert.deepEqual(rel(root, back.files), ['modules', 'xend-config.sxp']);
});

interface Prep {
  ok: boolean;
  errors?: string[];
  problems?: { uri: string; line: number; message: string }[];
  files?: { path: string; localUri: string; text: string }[];
  commands?: string[];
}

test("apply preparation from a folder that is the host's /etc: each file sent to its path on the host", async () => {
  const { root } = writeTempHost(
    { 'network/interfaces': INTERFACES, modules: 'dummy\n', 'xen/xend-config.sxp': ROUTED_SXP, 'xen/vm1.cfg': VM1, 'notes.txt': 'not a host file\n' },
    'xen-layout-apply-',
  );
  const folderUri = pathToFileURL(root).href;
  const p = await client.request<Prep>('xen/apply/prepare', {
    host: { name: 'dom0', destination: 'dom0', folder: '.' },
    folderUri,
    workspaceFolderUris: [folderUri],
    fetch: false,
  });
  assert.equal(p.ok, true, JSON.stringify(p));
  assert.deepEqual(
    p.files!.map((f) => f.path),
    ['/etc/modules', '/etc/network/interfaces', '/etc/xen/vm1.cfg', '/etc/xen/xend-config.sxp'],
  );
  assert.equal(p.files!.find((f) => f.path === '/etc/xen/vm1.cfg')!.localUri, pathToFileURL(join(root, 'xen', 'vm1.cfg')).href);
  assert.ok(p.commands!.some((c) => /ifup dummy0/.test(c)));

  // and refused, with the file and line, while one of them has an error
  writeFileSync(join(root, 'network', 'interfaces'), INTERFACES.replace('inet static', 'inet statik'));
  const bad = await client.request<Prep>('xen/apply/prepare', {
    host: { name: 'dom0', destination: 'dom0', folder: '.' },
    folderUri,
    workspaceFolderUris: [folderUri],
    fetch: false,
  });
  assert.equal(bad.ok, false);
  assert.ok(
    bad.problems?.some((x) => x.uri.endsWith('/network/interfaces') && x.line === 5),
    JSON.stringify(bad),
  );
});
