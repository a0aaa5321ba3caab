// This machine as a host (host/live.ts): a workspace folder that is `/`, `/etc` or a folder inside
// `/etc` is the live host, keyed `file://` (what every `file:///etc/...` uri has before its /etc/),
// named by the machine's host name, found without a walk of the disk, and read only where the host
// table says (a link or a `source` to /etc/shadow is never read).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { folderUri, trimFolderUri } from '../../../server/src/core/uri';
import { hostNameOf, isLiveFolder, isLiveRoot, LIVE_ROOT, liveHostName, liveReadable } from '../../../server/src/host/live';
import { HostIndex } from '../../../server/src/host/index';
import { workspaceHosts } from '../../../server/src/features/hosts';
import { leavesHost } from '../../../server/src/features/generate';

test('/, /etc and folders inside /etc are this host; nothing else is', () => {
  for (const f of ['file:///', 'file://', 'file:', 'file:///etc', 'file:///etc/', 'file:///etc/xen', 'file:///etc/network/interfaces.d'])
    assert.ok(isLiveFolder(f), f);
  for (const f of [
    'file:///etcetera',
    'file:///srv/dom0/etc',
    'file:///home/u/etc/xen',
    'untitled:/etc',
    'vscode-remote://ssh-remote+dom0/etc/xen',
    'file:///tmp',
  ])
    assert.ok(!isLiveFolder(f), f);
  assert.ok(isLiveRoot('file://') && isLiveRoot('file:') && isLiveRoot('file:///') && !isLiveRoot('file:///srv/h'));
});

test("the system root as a folder uri is file:// (never the trap 'file:'), and other folders lose their trailing slash", () => {
  assert.equal(folderUri('file:///'), 'file://');
  assert.equal(folderUri('/'), 'file://');
  assert.equal(folderUri('file://'), 'file://');
  assert.equal(folderUri('file:///etc/xen/'), 'file:///etc/xen');
  assert.equal(trimFolderUri('file:///srv/h//'), 'file:///srv/h');
});

test("this host is named by the machine's host name", () => {
  assert.equal(liveHostName(), `${hostname() || 'this machine'} (this host)`);
  for (const r of ['file://', 'file:', 'file:///']) assert.equal(hostNameOf(r), liveHostName());
  assert.equal(hostNameOf('file:///srv/hosts/dom0'), 'dom0');
});

test('every form of the live folder gives the one place keyed file://, its /etc being /etc', () => {
  const index = new HostIndex();
  for (const f of ['file:///', 'file://', 'file:', 'file:///etc', 'file:///etc/xen', 'file:///etc/xen/']) {
    const place = index.placeOfFolder(f);
    assert.deepEqual(place, { key: LIVE_ROOT, folderUri: LIVE_ROOT, etcPath: '/etc', layout: 'etc-tree' }, f);
  }
  // the files of /etc have that key already, from whichever live folder they are opened
  index.setWorkspaceFolders(['file:///etc/xen']);
  assert.equal(index.hostKey('file:///etc/xen/vm1.cfg'), LIVE_ROOT);
  assert.equal(index.hostKey('file:///etc/network/interfaces'), LIVE_ROOT);
  index.setWorkspaceFolders(['file:///']);
  // a file of / outside /etc belongs to no host (the live folder is no side-by-side folder host)
  assert.equal(index.hostKey('file:///root/vm1.cfg'), undefined);
  assert.equal(index.workspaceFolders()[0], 'file://');
});

test('a workspace folder / is not walked: only this host is listed, though mirrors lie below /', () => {
  // a mirror of another host, 2 folders below /tmp: a walk of / would find it
  const dir = mkdtempSync(join(tmpdir(), 'xen-live-'));
  try {
    mkdirSync(join(dir, 'etc', 'network'), { recursive: true });
    writeFileSync(join(dir, 'etc', 'network', 'interfaces'), 'auto lo\niface lo inet loopback\n');
    const index = new HostIndex();
    index.setWorkspaceFolders(['file:///']);
    const r = workspaceHosts(index);
    assert.equal(r.complete, true);
    assert.ok(
      r.hosts.every((h) => h.root === LIVE_ROOT && h.live === true && h.name === liveHostName() && h.folder === 'file://'),
      JSON.stringify(r.hosts),
    );
    // the same mirror opened as a folder of its own is found (the walk still works elsewhere)
    index.setWorkspaceFolders([pathToFileURL(dir).href]);
    assert.deepEqual(
      workspaceHosts(index).hosts.map((h) => [h.root, h.live]),
      [[pathToFileURL(dir).href, undefined]],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("this host's files are read only at the host table's paths, links resolved", () => {
  assert.equal(liveReadable('/etc/shadow'), false);
  assert.equal(liveReadable('/etc/hostname'), false);
  assert.equal(liveReadable('/etc/passwd'), false);
  // a table path that does not exist is not read either
  assert.equal(liveReadable('/etc/xen/no-such-guest-here.cfg'), false);
});

test('a generate for this host writes inside /etc only', () => {
  const result = { changes: [{ path: 'etc/xen/vm2.cfg', newText: 'x' }], summary: [] };
  assert.equal(
    leavesHost(`${LIVE_ROOT}/etc`, result, (p) => `${LIVE_ROOT}/${p}`),
    undefined,
  );
  assert.equal(
    leavesHost(`${LIVE_ROOT}/etc`, { changes: [{ path: 'root/.profile', newText: 'x' }], summary: [] }, (p) => `${LIVE_ROOT}/${p}`),
    'root/.profile',
  );
});
