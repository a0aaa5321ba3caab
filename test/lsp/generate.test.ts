// The xen/generate/* requests against the real server binary: the host's files read from disk
// and from open documents (an unsaved edit wins), WorkspaceEdits that create new files and edit
// existing ones with the open document's version, validation, mode switch, add guest, host state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CreateFile, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { TestClient } from '../support/lsp-client';
import { serverForFile } from '../support/lsp-server';
import { writeTempHost } from '../support/temp-host';
import { repoRoot } from '../support/paths';
import { LineIndex } from '../../server/src/core/text';

interface Response {
  edit: WorkspaceEdit;
  summary: string[];
  files: string[];
  addresses?: Record<string, string>;
}
interface Refusal {
  error: string;
  field?: string;
}

let client: TestClient;
serverForFile((c) => (client = c));

const tempRoot = (files: Record<string, string> = {}): string => writeTempHost(files, 'xen-gen-lsp-').root;

function articleFiles(): Record<string, string> {
  const base = join(repoRoot, 'test', 'e2e', 'fixtures', 'article-host');
  const out: Record<string, string> = {};
  for (const rel of ['etc/network/interfaces', 'etc/modules', 'etc/xen/xend-config.sxp', 'etc/xen/vm1.cfg']) out[rel] = readFileSync(join(base, rel), 'utf8');
  return out;
}

function applyText(text: string, edits: TextEdit[]): string {
  const lines = new LineIndex(text);
  const sorted = edits
    .map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/** Applies a WorkspaceEdit to disk the way a client would (files must not exist before a create; versions are checked against `open`). */
function applyToDisk(edit: WorkspaceEdit, open: Map<string, { version: number; text: string }> = new Map()): void {
  for (const c of edit.documentChanges ?? []) {
    if ('kind' in c) {
      assert.equal(c.kind, 'create');
      const p = fileURLToPath((c as CreateFile).uri);
      assert.ok(!existsSync(p), `create of an existing file ${p}`);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, '');
      continue;
    }
    const te = c as TextDocumentEdit;
    const p = fileURLToPath(te.textDocument.uri);
    const doc = open.get(te.textDocument.uri);
    if (doc) {
      assert.equal(te.textDocument.version, doc.version, "the open document's version");
      doc.text = applyText(doc.text, te.edits as TextEdit[]);
      writeFileSync(p, doc.text);
    } else {
      assert.equal(te.textDocument.version, null);
      writeFileSync(p, applyText(readFileSync(p, 'utf8'), te.edits as TextEdit[]));
    }
  }
}

const isRefusal = (r: Response | Refusal): r is Refusal => 'error' in r;
function ok(r: Response | Refusal): Response {
  if (isRefusal(r)) assert.fail(`refused: ${r.error}`);
  return r;
}

const XEND = { cidr: '80.68.86.192/29', toolstack: 'xend', guests: ['vm1', 'vm2'] };

test('routedSetup into an empty folder: creates every file; a second request changes nothing', async () => {
  const root = tempRoot();
  const r = ok(await client.request<Response | Refusal>('xen/generate/routedSetup', { root: pathToFileURL(root).href, answers: XEND }));
  const rels = r.files.map((u) => fileURLToPath(u).slice(root.length + 1));
  assert.deepEqual(rels, ['etc/modules', 'etc/network/interfaces', 'etc/xen/vm1.cfg', 'etc/xen/vm2.cfg', 'etc/xen/xend-config.sxp']);
  const kinds = (r.edit.documentChanges ?? []).map((c) => ('kind' in c ? c.kind : 'edit'));
  assert.deepEqual(kinds, Array(5).fill(['create', 'edit']).flat());
  assert.deepEqual(r.addresses, { vm1: '80.68.86.194', vm2: '80.68.86.195' });
  applyToDisk(r.edit);
  assert.match(readFileSync(join(root, 'etc/xen/xend-config.sxp'), 'utf8'), /\(vif-script 'vif-route netdev=dummy0'\)/);
  assert.match(
    readFileSync(join(root, 'etc/network/interfaces'), 'utf8'),
    /iface dummy0 inet static\n {4}address 80\.68\.86\.193\n {4}netmask 255\.255\.255\.248\n {4}broadcast 80\.68\.86\.199\n/,
  );
  // the root may be given as a path too
  const again = ok(await client.request<Response | Refusal>('xen/generate/routedSetup', { root, answers: XEND }));
  assert.deepEqual(again.edit.documentChanges, []);
  assert.deepEqual(again.files, []);
});

test('routedSetup reads an open document before the disk and edits it at its version', async () => {
  const root = tempRoot(articleFiles());
  const uri = pathToFileURL(join(root, 'etc/network/interfaces')).href;
  const unsaved = readFileSync(join(root, 'etc/network/interfaces'), 'utf8').replace('broadcast 80.68.86.199', 'broadcast 80.68.86.255');
  await client.open(uri, 'debian-interfaces', unsaved);
  const version = await client.change(uri, unsaved + '\n# unsaved line\n');
  try {
    const r = ok(
      await client.request<Response | Refusal>('xen/generate/routedSetup', {
        root: pathToFileURL(root).href,
        answers: { ...XEND, guests: ['vm1', 'vm2', 'vm3'] },
      }),
    );
    const mine = (r.edit.documentChanges ?? []).find((c): c is TextDocumentEdit => 'textDocument' in c && c.textDocument.uri === uri)!;
    assert.ok(mine, 'the open interfaces file is edited');
    assert.equal(mine.textDocument.version, version);
    assert.equal(mine.edits.length, 1);
    assert.equal((mine.edits[0] as TextEdit).newText, '199');
    const open = new Map([[uri, { version, text: unsaved + '\n# unsaved line\n' }]]);
    applyToDisk(r.edit, open);
    assert.ok(open.get(uri)!.text.endsWith('broadcast 80.68.86.199\n\n# unsaved line\n'));
    assert.deepEqual(r.addresses, { vm1: '80.68.86.194', vm2: '80.68.86.195', vm3: '80.68.86.196' });
    assert.ok(existsSync(join(root, 'etc/xen/vm3.cfg')));
    // vm1 (xl syntax) gets xm's kernel-ip keys under xend, right after its vif line
    assert.match(readFileSync(join(root, 'etc/xen/vm1.cfg'), 'utf8'), /vif = \[ 'ip=80\.68\.86\.194' \]\n\n# xm hands these[^\n]*\nip = "80\.68\.86\.194"\n/);
  } finally {
    await client.close(uri);
  }
});

test('routedSetup edits a gateway stanza kept in a file that interfaces sources from interfaces.d/, and nothing that is not sourced', async () => {
  const files = articleFiles();
  // dummy0's stanza moves to interfaces.d/, with a wrong broadcast; its `auto` stays in interfaces
  const main = files['etc/network/interfaces'];
  const at = main.indexOf('iface dummy0');
  const stanza = main.slice(at).replace('broadcast 80.68.86.199', 'broadcast 80.68.86.255');
  files['etc/network/interfaces'] = main.slice(0, at) + 'source /etc/network/interfaces.d/*\n';
  files['etc/network/interfaces.d/dummy0'] = stanza;
  // a file of interfaces.d/ that nothing sources (its name is not matched) must not count
  files['etc/network/interfaces.d/.old-dummy0'] = stanza.replace('80.68.86.193', '80.68.86.197');
  const root = tempRoot(files);
  const r = ok(await client.request<Response | Refusal>('xen/generate/routedSetup', { root: pathToFileURL(root).href, answers: XEND }));
  const rels = r.files.map((u) => fileURLToPath(u).slice(root.length + 1));
  assert.deepEqual(rels, ['etc/network/interfaces.d/dummy0', 'etc/xen/vm1.cfg', 'etc/xen/vm2.cfg']);
  assert.ok(
    r.summary.some((l) => l.startsWith('etc/network/interfaces.d/dummy0: dummy0 holds the gateway')),
    r.summary.join('\n'),
  );
  applyToDisk(r.edit);
  const sub = readFileSync(join(root, 'etc/network/interfaces.d/dummy0'), 'utf8');
  assert.equal(sub, stanza.replace('broadcast 80.68.86.255', 'broadcast 80.68.86.199'), 'the broadcast is corrected in place, no `auto` line added');
  assert.equal(readFileSync(join(root, 'etc/network/interfaces'), 'utf8'), files['etc/network/interfaces']);
  const again = ok(await client.request<Response | Refusal>('xen/generate/routedSetup', { root: pathToFileURL(root).href, answers: XEND }));
  assert.deepEqual(again.files, []);
});

test('routedSetup refusals: /31 and /32 with the reason, no root', async () => {
  const root = tempRoot();
  const r31 = await client.request<Response | Refusal>('xen/generate/routedSetup', { root, answers: { ...XEND, cidr: '80.68.86.192/31' } });
  assert.ok(isRefusal(r31));
  assert.equal(r31.field, 'cidr');
  assert.match(r31.error, /two addresses/);
  const r32 = await client.request<Response | Refusal>('xen/generate/routedSetup', { root, answers: { ...XEND, cidr: '80.68.86.193/32' } });
  assert.ok(isRefusal(r32) && /single address/.test(r32.error));
  const noRoot = await client.request<Response | Refusal>('xen/generate/routedSetup', { answers: XEND });
  assert.ok(isRefusal(noRoot) && noRoot.field === 'root');
  const relative = await client.request<Response | Refusal>('xen/generate/routedSetup', { root: 'relative/dir', answers: XEND });
  assert.ok(isRefusal(relative));
});

test("validate: each field, with the host's guests counted when the root is given", async () => {
  const v = (params: unknown) => client.request<{ message?: string }>('xen/generate/validate', params);
  assert.deepEqual(await v({ field: 'cidr', value: '80.68.86.192/29' }), {});
  assert.match((await v({ field: 'cidr', value: '80.68.86.192/31' })).message!, /\/31/);
  assert.match((await v({ field: 'gatewayAddress', value: '80.68.86.199', answers: { cidr: '80.68.86.192/29' } })).message!, /broadcast/);
  assert.match((await v({ field: 'gatewayInterface', value: 'eth0:1' })).message!, /':'/);
  assert.match((await v({ field: 'guests', value: ['a', 'a'] })).message!, /twice/);
  assert.match((await v({ field: 'guest', value: '42' })).message!, /all digits/);
  const root = tempRoot(articleFiles());
  const answers = { cidr: '80.68.86.192/29', toolstack: 'xend' };
  assert.deepEqual(await v({ field: 'guests', value: ['a', 'b', 'c', 'd'], answers, root }), {});
  // vm1 keeps 80.68.86.194: four new guests fit, five do not
  assert.match((await v({ field: 'guests', value: ['a', 'b', 'c', 'd', 'e'], answers, root })).message!, /only 4 free addresses/);
  assert.deepEqual(await v({ field: 'guests', value: ['vm1', 'a', 'b', 'c', 'd'], answers, root }), {});
  // the gateway address against the host's files: vm1 holds 80.68.86.194
  assert.match((await v({ field: 'gatewayAddress', value: '80.68.86.194', answers, root })).message!, /address of the guest in etc\/xen\/vm1\.cfg/);
  assert.deepEqual(await v({ field: 'gatewayAddress', value: '80.68.86.194', answers: { ...answers, guests: ['vm1'] }, root }), {});
  // what validation read is used again for a moment, but an edit of an open file of the host is seen at once
  const vm1 = pathToFileURL(join(root, 'etc/xen/vm1.cfg')).href;
  await client.open(vm1, 'xen-domain', readFileSync(join(root, 'etc/xen/vm1.cfg'), 'utf8').replace('80.68.86.194', '80.68.86.195'));
  try {
    assert.deepEqual(await v({ field: 'gatewayAddress', value: '80.68.86.194', answers, root }), {});
    assert.match((await v({ field: 'gatewayAddress', value: '80.68.86.195', answers, root })).message!, /address of the guest in etc\/xen\/vm1\.cfg/);
  } finally {
    await client.close(vm1);
  }
  assert.match((await v({ field: 'gatewayAddress', value: '80.68.86.194', answers, root })).message!, /address of the guest in etc\/xen\/vm1\.cfg/);
  assert.match((await v({ field: 'nope', value: 1 })).message!, /Unknown field/);
  assert.match((await v(null)).message!, /Unknown field/);
});

test('switchMode: bridged and back to routed restores the files; refusals', async () => {
  const files = articleFiles();
  const root = tempRoot(files);
  const bridged = ok(await client.request<Response | Refusal>('xen/generate/switchMode', { root, mode: 'bridged' }));
  assert.equal(bridged.files.length, 1);
  applyToDisk(bridged.edit);
  const sxp = readFileSync(join(root, 'etc/xen/xend-config.sxp'), 'utf8');
  assert.match(sxp, /^\(network-script network-bridge\)\n\(vif-script vif-bridge\)$/m);
  const state = await client.request<{ mode: string; toolstack: string }>('xen/generate/hostState', { root });
  assert.equal(state.mode, 'bridged');
  assert.equal(state.toolstack, 'xend');
  applyToDisk(ok(await client.request<Response | Refusal>('xen/generate/switchMode', { root, mode: 'routed' })).edit);
  assert.equal(readFileSync(join(root, 'etc/xen/xend-config.sxp'), 'utf8'), files['etc/xen/xend-config.sxp']);
  const xl = ok(await client.request<Response | Refusal>('xen/generate/switchMode', { root, mode: 'nat', toolstack: 'xl' }));
  assert.deepEqual(
    xl.files.map((u) => fileURLToPath(u).slice(root.length + 1)),
    ['etc/xen/xl.conf'],
  );
  const bad = await client.request<Response | Refusal>('xen/generate/switchMode', { root, mode: 'mesh' });
  assert.ok(isRefusal(bad) && bad.field === 'mode');
  const empty = await client.request<Response | Refusal>('xen/generate/switchMode', { root: tempRoot(), mode: 'routed' });
  assert.ok(isRefusal(empty) && empty.field === 'toolstack');
});

test('addGuest: the next free address; a used address and a known name are refused; hostState lists the free ones', async () => {
  const root = tempRoot(articleFiles());
  const before = await client.request<{
    cidr: string;
    gatewayAddress: string;
    gatewayInterface: string;
    guests: string[];
    freeAddresses: string[];
    freeCount: number;
  }>('xen/generate/hostState', { root });
  assert.equal(before.cidr, '80.68.86.192/29');
  assert.equal(before.gatewayAddress, '80.68.86.193');
  assert.equal(before.gatewayInterface, 'dummy0');
  assert.deepEqual(before.guests, ['vm1']);
  assert.deepEqual(before.freeAddresses, ['80.68.86.195', '80.68.86.196', '80.68.86.197', '80.68.86.198']);
  const r = ok(await client.request<Response | Refusal>('xen/generate/addGuest', { root, name: 'web' }));
  assert.deepEqual(r.addresses, { web: '80.68.86.195' });
  applyToDisk(r.edit);
  assert.match(readFileSync(join(root, 'etc/xen/web.cfg'), 'utf8'), /^vif = \[ 'ip=80\.68\.86\.195' \]$/m);
  const used = await client.request<Response | Refusal>('xen/generate/addGuest', { root, name: 'db', address: '80.68.86.195' });
  assert.ok(isRefusal(used) && /in use/.test(used.error) && used.field === 'address');
  const chosen = ok(await client.request<Response | Refusal>('xen/generate/addGuest', { root, name: 'db', address: '80.68.86.198' }));
  assert.deepEqual(chosen.addresses, { db: '80.68.86.198' });
  const dup = await client.request<Response | Refusal>('xen/generate/addGuest', { root, name: 'vm1' });
  assert.ok(isRefusal(dup) && /exists already/.test(dup.error));
  const after = await client.request<{ freeCount: number; guests: string[] }>('xen/generate/hostState', { root });
  assert.equal(after.freeCount, 3);
  assert.deepEqual(after.guests, ['vm1', 'web']);
});

test('the generators never write through a link that leaves the host: etc/xen linked out, a dangling link in its place; refused, nothing written', async () => {
  const outside = mkdtempSync(join(tmpdir(), 'xen-gen-outside-'));
  try {
    const files = articleFiles();
    const root = tempRoot(files);
    // etc/xen is a link to a folder outside the host (a repository can hold etc/xen -> /etc/xen)
    const xen = join(root, 'etc', 'xen');
    for (const n of readdirSync(xen)) writeFileSync(join(outside, n), readFileSync(join(xen, n)));
    rmSync(xen, { recursive: true });
    symlinkSync(outside, xen);
    const r = await client.request<Response | Refusal>('xen/generate/addGuest', { root, name: 'web' });
    assert.ok(isRefusal(r), JSON.stringify(r));
    assert.match(r.error, /^etc\/xen\/web\.cfg leads out of the host's folder through a symbolic link: nothing was written/);
    assert.ok(!existsSync(join(outside, 'web.cfg')));
    // a dangling link where a new file would go: writing there would create its target
    rmSync(xen);
    mkdirSync(xen);
    writeFileSync(join(xen, 'vm1.cfg'), files['etc/xen/vm1.cfg']);
    symlinkSync(join(outside, 'created-by-link.cfg'), join(xen, 'web.cfg'));
    const d = await client.request<Response | Refusal>('xen/generate/addGuest', { root, name: 'web' });
    assert.ok(isRefusal(d) && /leads out of the host's folder/.test(d.error), JSON.stringify(d));
    // the same host without the links: written as usual
    rmSync(join(xen, 'web.cfg'));
    ok(await client.request<Response | Refusal>('xen/generate/addGuest', { root, name: 'web' }));
  } finally {
    rmSync(outside, { recursive: true, force: true });
  }
});

test('junk params never break the server', async () => {
  for (const method of ['xen/generate/validate', 'xen/generate/routedSetup', 'xen/generate/switchMode', 'xen/generate/addGuest', 'xen/generate/hostState']) {
    for (const params of [null, 42, 'x', { root: 7 }, { root: '/nonexistent/host', answers: 'junk', mode: {}, name: [] }]) {
      const r = await client.request<unknown>(method, params);
      assert.ok(r && typeof r === 'object', `${method} ${JSON.stringify(params)}`);
    }
  }
  assert.ok(client.alive);
  assert.ok(!client.logs.some((l) => /internal error/.test(l)), client.logs.join('\n'));
});
