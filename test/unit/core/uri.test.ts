import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  baseName,
  decodeSafe,
  fileUriToPath,
  folderUri,
  hasScheme,
  hostRootKey,
  pathOf,
  pathToUri,
  relativeTo,
  splitAtEtc,
} from '../../../server/src/core/uri';

test('pathOf: the decoded path of a uri or a path, forward slashes', () => {
  assert.equal(pathOf('file:///ws/a%20b/etc/modules'), '/ws/a b/etc/modules');
  assert.equal(pathOf('untitled:Untitled-1'), 'Untitled-1');
  assert.equal(pathOf('untitled:etc/network/interfaces'), 'etc/network/interfaces');
  assert.equal(pathOf('vscode-remote://ssh-remote+h/srv/etc/xen/vm1.cfg'), '/srv/etc/xen/vm1.cfg');
  assert.equal(pathOf('C:\\hosts\\etc\\modules'), 'C:/hosts/etc/modules');
  assert.equal(pathOf('/ws/bad%E0%A4%A'), '/ws/bad%E0%A4%A');
});

test('file uris and disk paths, both ways', () => {
  assert.equal(fileUriToPath('file:///ws/a%20b/x'), '/ws/a b/x');
  assert.equal(fileUriToPath('untitled:x'), undefined);
  assert.equal(fileUriToPath('file://remotehost/x'), undefined);
  assert.equal(pathToUri('/ws/a b/x'), 'file:///ws/a%20b/x');
  assert.equal(fileUriToPath(pathToUri('/ws/ä #?/x')), '/ws/ä #?/x');
  assert.equal(folderUri('/ws/host/'), 'file:///ws/host');
  assert.equal(folderUri('file:///ws/host//'), 'file:///ws/host');
  assert.equal(folderUri('relative/x'), undefined);
  assert.equal(folderUri(''), undefined);
  assert.equal(folderUri(3), undefined);
  assert.ok(hasScheme('file:///x') && hasScheme('untitled:x') && !hasScheme('/x') && !hasScheme('x'));
  assert.equal(decodeSafe('%41'), 'A');
  assert.equal(decodeSafe('%'), '%');
});

test("the host's /etc/ split: the last etc wins", () => {
  assert.deepEqual(splitAtEtc('file:///ws/hostA/etc/network/interfaces'), { root: 'file:///ws/hostA', hostPath: '/etc/network/interfaces' });
  assert.deepEqual(splitAtEtc('/srv/etc/hosts/h1/etc/xen/vm1.cfg'), { root: '/srv/etc/hosts/h1', hostPath: '/etc/xen/vm1.cfg' });
  assert.equal(splitAtEtc('/ws/notes.txt'), undefined);
  assert.equal(splitAtEtc('etc/modules'), undefined);
  assert.equal(hostRootKey('file:///ws/h/etc/modules'), 'file:///ws/h');
  assert.equal(hostRootKey('file:///ws/h/modules'), undefined);
});

test('relative paths and base names', () => {
  assert.equal(relativeTo('file:///ws/h', 'file:///ws/h/etc/xen/a%20b.cfg'), 'etc/xen/a b.cfg');
  assert.equal(relativeTo('file:///ws/h/', 'file:///ws/h/etc/modules'), 'etc/modules');
  assert.equal(relativeTo('file:///ws/h', 'file:///ws/hx/etc/modules'), undefined);
  assert.equal(baseName('file:///ws/h/etc/xen/vm%201.cfg'), 'vm 1.cfg');
  assert.equal(baseName('C:\\h\\etc\\modules'), 'modules');
  assert.equal(baseName('modules'), 'modules');
});
