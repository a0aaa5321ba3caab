// What "Apply to Host" prepares from a host folder (server/src/features/apply.ts, called as the
// server calls it): only the host's own files, each checked in its format, or a refusal in words.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { HostIndex } from '../../server/src/host/index';
import { prepareApply } from '../../server/src/features/apply';
import { defaultSettings } from '../../server/src/core/settings';
import { writeTempHost, removeTempHosts } from '../support/temp-host';

after(removeTempHosts);

const INTERFACES = 'auto lo\niface lo inet loopback\n';
const CRON = '* * * * * root touch /tmp/xnt-pwned\n';

async function prepare(files: Record<string, string>) {
  const { root } = writeTempHost(files, 'xnt-prepare-');
  const p = await prepareApply(
    {
      host: { name: 'dom0', destination: 'dom0', folder: '.' },
      folderUri: pathToFileURL(root).href,
      workspaceFolderUris: [pathToFileURL(root).href],
      fetch: false,
    },
    new HostIndex(),
    [],
    defaultSettings,
  );
  return { p, root };
}

test('regression: `source-directory /etc/cron.d` with a cron file in the folder: refused, the cron file never sent', async () => {
  const { p } = await prepare({ 'etc/network/interfaces': INTERFACES + 'source-directory /etc/cron.d\n', 'etc/cron.d/xen': CRON });
  assert.equal(p.ok, false);
  if (p.ok) return;
  const all = JSON.stringify(p);
  assert.ok(
    p.problems?.some((x) => x.uri.endsWith('/etc/network/interfaces') && /outside \/etc\/network/.test(x.message)),
    all,
  );
  assert.ok(
    p.problems?.some((x) => x.uri.endsWith('/etc/cron.d/xen') && /not one of the host's files that Apply sends/.test(x.message)),
    all,
  );
  assert.ok(!('script' in p), 'no script is made');
});

test('`source /etc/profile.d/*` and `source ../../../SECRET.txt`: refused', async () => {
  for (const line of ['source /etc/profile.d/*', 'source ../../../SECRET.txt']) {
    const { p } = await prepare({
      'etc/network/interfaces': `${INTERFACES}${line}\n`,
      'etc/profile.d/xen.sh': 'touch /tmp/xnt-pwned\n',
      'SECRET.txt': 'auto lo\n',
    });
    assert.equal(p.ok, false, line);
    if (!p.ok)
      assert.ok(
        p.problems?.some((x) => /outside \/etc\/network/.test(x.message)),
        JSON.stringify(p.problems),
      );
  }
});

test('a sourced file inside /etc/network is sent; a sysctl file with a syntax error is refused, a good one sent', async () => {
  const good = await prepare({
    'etc/network/interfaces': INTERFACES + 'source interfaces.d/*\n',
    'etc/network/interfaces.d/dummy0': 'auto dummy0\niface dummy0 inet static\n    address 80.68.86.193/29\n',
    'etc/sysctl.d/xen-routed.conf': 'net.ipv4.ip_forward = 1\n',
  });
  assert.equal(good.p.ok, true, JSON.stringify(good.p));
  if (good.p.ok)
    assert.deepEqual(
      good.p.files.map((f) => f.path),
      ['/etc/network/interfaces', '/etc/network/interfaces.d/dummy0', '/etc/sysctl.d/xen-routed.conf'],
    );
  const bad = await prepare({ 'etc/network/interfaces': INTERFACES, 'etc/sysctl.d/xen-routed.conf': '# forwarding\nnet.ipv4.ip_forward\n' });
  assert.equal(bad.p.ok, false);
  if (!bad.p.ok)
    assert.ok(
      bad.p.problems?.some((x) => x.uri.endsWith('xen-routed.conf') && x.line === 2 && /sysctl/.test(x.message)),
      JSON.stringify(bad.p),
    );
});
