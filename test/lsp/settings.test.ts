// Settings pulled with workspace/configuration change what the server checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TestClient } from '../support/lsp-client';

const PYTHON_DOMAIN = ["name = 'vm%d' % 1", 'memory = 128 * 2', ''].join('\n');

test('toolstack xl turns the Python of an xm file into errors; xm accepts it', async () => {
  const xl = await TestClient.start({ configuration: { domain: { toolstack: 'xl' } } });
  const xm = await TestClient.start({ configuration: { domain: { toolstack: 'xm' } } });
  try {
    const uri = 'file:///s/etc/xen/vm1.cfg';
    const wx = xl.waitForDiagnostics(uri);
    await xl.open(uri, 'xen-domain', PYTHON_DOMAIN);
    const px = await wx;
    assert.ok(
      px.diagnostics.some((d) => d.severity === 1),
      `xl: ${JSON.stringify(px.diagnostics)}`,
    );
    const wm = xm.waitForDiagnostics(uri);
    await xm.open(uri, 'xen-domain', PYTHON_DOMAIN);
    const pm = await wm;
    assert.deepEqual(
      pm.diagnostics.filter((d) => d.severity === 1),
      [],
    );
  } finally {
    await xl.stop();
    await xm.stop();
  }
});

test('validation can be switched off', async () => {
  const c = await TestClient.start({ configuration: { validation: { enable: false } } });
  try {
    const uri = 'file:///s2/etc/network/interfaces';
    const w = c.waitForDiagnostics(uri);
    await c.open(uri, 'debian-interfaces', 'iface eth0 inet bogus\n');
    assert.deepEqual((await w).diagnostics, []);
  } finally {
    await c.stop();
  }
});
