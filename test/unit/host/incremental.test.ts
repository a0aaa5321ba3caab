// The server re-checks only the files whose verdict an edit can change. Whatever the edits, its
// diagnostics must equal those of a check of the whole host from scratch: random edits to the
// domain files of a routed host (addresses shared, taken from the gateway or outside the block,
// MACs and names repeated, vifs without ip=, more guests than the block holds), compared file
// by file after each edit. The fast path must also be the one taken for most edits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { HostIndex, type OpenText } from '../../../server/src/host/index';
import { checkHost } from '../../../server/src/host/checks';
import { buildHost } from '../../../server/src/host/model';
import { defaultSettings } from '../../../server/src/core/settings';
import { INTERFACES, MODULES, XEND } from './helpers';

// (uris outside file: are never looked for on disk: the host is the open documents alone)
const ROOT = 'mem:///ws/h';
const ADDRESSES = ['80.68.86.193', '80.68.86.194', '80.68.86.195', '80.68.86.196', '80.68.86.197', '80.68.86.198', '80.68.86.199', '10.0.0.5'];
const MACS = ['00:16:3e:00:00:01', '00:16:3e:00:00:02', '00:16:3e:00:00:03'];
const NAMES = ['vm1', 'vm2', 'vm3', 'web'];

interface GuestSpec {
  name: number;
  ip: number | null;
  mac: number | null;
  lines: number;
}

function domainText(g: GuestSpec): string {
  const items = [g.ip === null ? null : `ip=${ADDRESSES[g.ip]}`, g.mac === null ? null : `mac=${MACS[g.mac]}`].filter(Boolean).join(',');
  // blank lines before, so that spans move with edits
  return `${'\n'.repeat(g.lines)}name = "${NAMES[g.name]}"\nmemory = 128\nvif = [ '${items}' ]\n`;
}

const guest = fc.record({
  name: fc.integer({ min: 0, max: NAMES.length - 1 }),
  ip: fc.option(fc.integer({ min: 0, max: ADDRESSES.length - 1 }), { nil: null }),
  mac: fc.option(fc.integer({ min: 0, max: MACS.length - 1 }), { nil: null }),
  lines: fc.integer({ min: 0, max: 2 }),
});

test('after every edit, the diagnostics of every file equal a whole check from scratch; most edits re-check few files', () => {
  let fast = 0;
  let edits = 0;
  fc.assert(
    fc.property(fc.array(guest, { minLength: 3, maxLength: 9 }), fc.array(fc.tuple(fc.nat(), guest), { minLength: 1, maxLength: 12 }), (initial, changes) => {
      const docs = new Map<string, { text: string; version: number; languageId: string }>();
      docs.set(`${ROOT}/etc/network/interfaces`, { text: INTERFACES, version: 1, languageId: 'debian-interfaces' });
      docs.set(`${ROOT}/etc/xen/xend-config.sxp`, { text: XEND, version: 1, languageId: 'xen-xend-config' });
      docs.set(`${ROOT}/etc/modules`, { text: MODULES, version: 1, languageId: 'kernel-modules' });
      initial.forEach((g, i) => docs.set(`${ROOT}/etc/xen/g${i}.cfg`, { text: domainText(g), version: 1, languageId: 'xen-domain' }));
      const open = (): OpenText[] => [...docs].map(([uri, d]) => ({ uri, languageId: d.languageId, version: d.version, getText: () => d.text }));
      const checker = new HostIndex();
      const first = `${ROOT}/etc/xen/g0.cfg`;
      checker.check(first, open(), defaultSettings);
      for (const [which, g] of changes) {
        const uri = `${ROOT}/etc/xen/g${which % initial.length}.cfg`;
        const d = docs.get(uri)!;
        d.text = domainText(g);
        d.version++;
        const got = checker.check(uri, open(), defaultSettings);
        assert.ok(got, 'a check');
        edits++;
        if (got.rechecked < got.model.files.size) fast++;
        const whole = checkHost(
          buildHost(
            [...docs].map(([u, x]) => ({ uri: u, languageId: x.languageId, text: x.text })),
            { gatewayInterface: 'dummy0' },
          ),
        );
        for (const [u, diags] of whole) {
          assert.deepEqual(got.diagnostics.get(u) ?? [], diags, `${u} after editing ${uri}`);
        }
      }
    }),
    { numRuns: 150 },
  );
  // (an edit that changes nothing of the host's context takes the fast path)
  assert.ok(fast > edits / 2, `${fast} of ${edits} edits re-checked part of the host`);
});
