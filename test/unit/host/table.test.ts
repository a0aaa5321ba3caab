// The host table: what a host is, in one place. The watcher's globs, which folders the host list
// shows, and the apply/fetch allow-list all come from it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyPath, generatedPath, HOST_TABLE, hostWatchGlobs, isXenEvidence } from '../../../server/src/host/table';
import { PATHS } from '../../../server/src/generate/types';
import { HOST_PATHS, isSendable } from '../../../server/src/host/paths';

test("the allow-list is the table's sent rows; every row is classified as its role", () => {
  assert.deepEqual(
    HOST_PATHS.map((e) => e.pattern),
    HOST_TABLE.filter((r) => r.sent).map((r) => r.pattern),
  );
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
  for (const g of [
    '**/etc/network/interfaces',
    '**/etc/xen/*.cfg',
    '**/etc/sysctl.d/*.conf',
    'network/interfaces',
    'xen/*.cfg',
    'interfaces',
    '*.cfg',
    'xend-config.sxp',
  ]) {
    assert.ok(globs.includes(g), `${g} in ${JSON.stringify(globs)}`);
  }
});

test('which files make a folder a Xen host for the host list: an interfaces file, xend-config.sxp, xl.conf, .xl/.xm, a xen/ file; not a lone setup.cfg', () => {
  const yes = [
    { path: '/w/interfaces', languageId: 'debian-interfaces' },
    { path: '/w/xend-config.sxp', languageId: 'xen-xend-config' },
    { path: '/w/xl.conf', languageId: 'xen-domain' },
    { path: '/w/vm1.xl', languageId: 'xen-domain' },
    { path: '/w/etc/xen/vm1.cfg', languageId: 'xen-domain' },
  ];
  for (const f of yes) assert.ok(isXenEvidence(f), f.path);
  for (const f of [
    { path: '/w/setup.cfg', languageId: 'xen-domain' },
    { path: '/w/modules', languageId: 'kernel-modules' },
  ])
    assert.ok(!isXenEvidence(f), f.path);
});

test("the generators write the table's paths (generate/types.ts PATHS comes from generatedPath)", () => {
  assert.deepEqual(
    { ...PATHS, domain: PATHS.domain('vm1') },
    {
      interfaces: 'etc/network/interfaces',
      modules: 'etc/modules',
      xend: 'etc/xen/xend-config.sxp',
      xl: 'etc/xen/xl.conf',
      sysctl: 'etc/sysctl.d/xen-routed.conf',
      domain: 'etc/xen/vm1.cfg',
    },
  );
  for (const p of [PATHS.interfaces, PATHS.modules, PATHS.xend, PATHS.xl, PATHS.sysctl, PATHS.domain('vm1')]) assert.ok(classifyPath('/' + p), p);
  assert.throws(() => generatedPath('xl-conf', 'x'), /no named path for xl-conf/);
});
