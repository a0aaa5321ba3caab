// The host table: what a host is, in one place. The watcher's globs, the search for hosts in
// workspace folders, and the apply/fetch allow-list all come from it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { classifyPath, HOST_TABLE, hostWatchGlobs } from '../../../server/src/host/table';
import { hostRootsIn } from '../../../server/src/host/reader';
import { HOST_PATHS, isSendable } from '../../../server/src/host/paths';

const tmp = mkdtempSync(join(tmpdir(), 'xen-table-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function write(files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(tmp, rel, '..'), { recursive: true });
    writeFileSync(join(tmp, rel), text);
  }
}

test('the allow-list is the table\'s sent rows; every row is classified as its role', () => {
  assert.deepEqual(HOST_PATHS.map((e) => e.pattern), HOST_TABLE.filter((r) => r.sent).map((r) => r.pattern));
  for (const r of HOST_TABLE) {
    const example = r.pattern.replace('*', 'x1');
    assert.equal(classifyPath('/ws/h' + example), r.role, example);
    assert.equal(isSendable(example), r.sent, example);
  }
  // xl's and xm's own names are checked with the host, never sent
  assert.ok(!isSendable('/etc/xen/vm1.xl'));
});

test('the watcher sees every layout: etc/ trees, a folder that is /etc, files side by side', () => {
  const globs = hostWatchGlobs();
  for (const g of ['**/etc/network/interfaces', '**/etc/xen/*.cfg', '**/etc/sysctl.d/*.conf', 'network/interfaces', 'xen/*.cfg', 'interfaces', '*.cfg', 'xend-config.sxp']) {
    assert.ok(globs.includes(g), `${g} in ${JSON.stringify(globs)}`);
  }
});

test('hostRootsIn: etc/ trees below a workspace folder, and a folder that holds a host\'s files itself', () => {
  write({
    'ws/hostA/etc/network/interfaces': 'auto lo\n',
    'ws/group/hostB/etc/xen/vm1.cfg': 'name = "vm1"\n',
    'ws/notes/readme.txt': 'not a host\n',
    'etcws/network/interfaces': 'auto lo\n',
    'flat/interfaces': 'auto lo\n',
    'flat/vm1.cfg': 'name = "vm1"\n',
    'empty/readme.txt': 'nothing\n',
  });
  const uri = (rel: string) => pathToFileURL(join(tmp, rel)).href;
  assert.deepEqual(hostRootsIn([uri('ws')]), [
    { uri: uri('ws/group/hostB'), layout: 'etc-tree', sideBySide: false },
    { uri: uri('ws/hostA'), layout: 'etc-tree', sideBySide: false },
  ]);
  assert.deepEqual(hostRootsIn([uri('etcws')]), [{ uri: uri('etcws'), layout: 'folder', sideBySide: false }]);
  assert.deepEqual(hostRootsIn([uri('flat')]), [{ uri: uri('flat'), layout: 'folder', sideBySide: true }]);
  assert.deepEqual(hostRootsIn([uri('empty')]), []);
});
