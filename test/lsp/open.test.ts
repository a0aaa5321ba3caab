// Diagnostics on open without waiting: the first check of a document opened runs at once; only
// typing waits for xen.validation.delay. The delay is set to 1,000 ms here so that the two are
// told apart: the open's diagnostics must come well before it (500 ms: a safety bound for a busy
// machine, not a speed target), an edit's not before it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestClient } from '../support/lsp-client';
import { removeTempHosts, writeTempHost } from '../support/temp-host';

const DELAY = 1000;

// a gapped netmask: an error the file's own check reports
const BAD = ['auto eth1', 'iface eth1 inet static', '    address 10.0.0.1', '    netmask 255.0.255.0', ''].join('\n');
const GOOD = ['auto eth1', 'iface eth1 inet static', '    address 10.0.0.1', '    netmask 255.255.255.0', ''].join('\n');

after(() => removeTempHosts());

test(`with xen.validation.delay at ${DELAY} ms: diagnostics at once after didOpen, after the delay for a change`, async () => {
  const client = await TestClient.start({ configuration: { validation: { delay: DELAY } } });
  try {
    const h = writeTempHost({ 'etc/network/interfaces': BAD, 'etc/modules': 'dummy\n' }, 'xen-open-');
    const uri = h.uri('etc/network/interfaces');
    // a first document, so that the server has started and compiled what a check needs
    const warmUri = h.uri('etc/modules');
    const warm = client.waitForDiagnostics(warmUri, () => true, 10_000);
    await client.open(warmUri, 'kernel-modules', 'dummy\n');
    await warm;

    const first = client.waitForDiagnostics(uri, () => true, 5_000);
    const t0 = performance.now();
    await client.open(uri, 'debian-interfaces', BAD);
    const opened = await first;
    const openMs = performance.now() - t0;
    assert.ok(
      opened.diagnostics.some((d) => /contiguous/.test(String(d.message))),
      `the open's publish holds the file's error: ${JSON.stringify(opened.diagnostics.map((d) => d.message))}`,
    );
    assert.ok(openMs < 500, `first diagnostics ${Math.round(openMs)} ms after didOpen: the open waited for the ${DELAY} ms debounce`);

    // an edit waits for the delay: its publish (version 2) comes no sooner
    const edited = client.waitForDiagnostics(uri, (p) => p.version === 2, 10_000);
    const t1 = performance.now();
    await client.change(uri, GOOD);
    const afterEdit = await edited;
    const editMs = performance.now() - t1;
    assert.ok(editMs >= DELAY - 50, `the edit's diagnostics came ${Math.round(editMs)} ms after didChange, before the ${DELAY} ms delay`);
    assert.deepEqual(
      afterEdit.diagnostics.filter((d) => /contiguous/.test(String(d.message))),
      [],
      'the edit fixed the netmask',
    );
  } finally {
    await client.stop();
  }
});
