// For random subnets (/24 to /30) and random guest addresses, the checker's verdicts agree with a
// plain integer computation of the network, broadcast and usable range written here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkHost } from '../../../server/src/host/checks';
import { freeAddresses } from '../../../server/src/host/free';
import { buildHost } from '../../../server/src/host/model';
import { MODULES, XEND, vm } from './helpers';

const dotted = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

test('verdicts (outside, network, broadcast, gateway, duplicate, free count, too many) agree with plain arithmetic', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 24, max: 30 }),
      fc.integer({ min: 2 ** 24, max: 2 ** 32 - 2 ** 12 }),
      fc.array(fc.integer({ min: -6, max: 2 ** 8 + 6 }), { minLength: 0, maxLength: 12 }),
      fc.integer({ min: 0, max: 3 }),
      (prefix, seed, offsets, gwOffset) => {
        const size = 2 ** (32 - prefix);
        const network = seed - (seed % size);
        const broadcast = network + size - 1;
        const gateway = network + 1 + (gwOffset % (size - 2));
        const mask = (2 ** 32 - size) >>> 0;
        const ips = offsets.map((o) => network + (o % (size + 8)) - (o < 0 ? 0 : 4));
        const files = [
          {
            uri: 'file:///h/etc/network/interfaces',
            languageId: '',
            text: `auto dummy0\niface dummy0 inet static\n  address ${dotted(gateway)}\n  netmask ${dotted(mask)}\n  broadcast ${dotted(broadcast)}\n`,
          },
          { uri: 'file:///h/etc/xen/xend-config.sxp', languageId: '', text: XEND },
          { uri: 'file:///h/etc/modules', languageId: '', text: MODULES },
          ...ips.map((ip, i) => ({ uri: `file:///h/etc/xen/vm${String(i).padStart(2, '0')}.cfg`, languageId: '', text: vm(`vm${i}`, `'ip=${dotted(ip)}'`) })),
        ];
        const model = buildHost(files);
        const result = checkHost(model);
        assert.deepEqual(result.get(files[0].uri), [], 'the interfaces file is correct');

        const count = new Map<number, number>();
        for (const ip of ips) count.set(ip, (count.get(ip) ?? 0) + 1);
        const usable = size - 2;
        const capacity = usable - 1;
        ips.forEach((ip, i) => {
          const expected: string[] = [];
          if (ip < network || ip > broadcast) expected.push('host/guest-ip-outside-subnet');
          else if (ip === gateway) expected.push('host/guest-ip-gateway');
          else if (ip === network) expected.push('host/guest-ip-network');
          else if (ip === broadcast) expected.push('host/guest-ip-broadcast');
          if (count.get(ip)! > 1) expected.push('host/duplicate-guest-ip');
          if (i >= capacity) expected.push('host/too-many-guests');
          const got = result.get(files[3 + i].uri)!.map((d) => String(d.code));
          assert.deepEqual(got.sort(), expected.sort(), `guest ${i} at ${dotted(ip)} in ${dotted(network)}/${prefix}, gateway ${dotted(gateway)}`);
        });
        const taken = new Set(ips.filter((ip) => ip > network && ip < broadcast && ip !== gateway));
        const free = freeAddresses(model, { limit: 1024 });
        assert.equal(free.count, usable - 1 - taken.size);
        const expectedFree: string[] = [];
        for (let a = network + 1; a < broadcast; a++) if (a !== gateway && !taken.has(a)) expectedFree.push(dotted(a));
        assert.deepEqual(free.addresses, expectedFree);
      },
    ),
    { numRuns: 150 },
  );
});
