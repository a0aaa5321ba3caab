// Issue 12, the audit of the regular expressions that run on file text: each one with nested or
// adjacent unbounded repetition was replaced by a scanner (or made unable to backtrack). Each
// replacement answers as its old pattern did (the pattern is the reference, on short strings
// only), and ends at once on the long runs of one character that made the pattern slow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { endsWithNetmaskKey } from '../../../server/src/features/addresses';
import { valueStart } from '../../../server/src/formats/domain/features';
import { parseSysctl } from '../../../server/src/formats/sysctl/parser';
import { loadsDummy } from '../../../server/src/host/checks';
import { ensureForwarding } from '../../../server/src/formats/sysctl/edit';
import { oneLine } from '../../../server/src/core/message';

const str = (chars: string[], maxLength = 30) => fc.array(fc.constantFrom(...chars), { maxLength }).map((a) => a.join(''));
/** A safety bound for the long inputs (the patterns took seconds to hours on them). */
function quick(what: string, fn: () => void): void {
  const started = Date.now();
  fn();
  assert.ok(Date.now() - started < 2000, `${what}: ${Date.now() - started} ms`);
}
const LONG = 1_000_000;

test('hover: netmask before an address', () => {
  const old = (t: string) => /netmask['"]?\s*[=\s]\s*['"]?$/i.test(t);
  fc.assert(
    fc.property(str(['netmask', 'NetMask', 'mask', ' ', '\t', '=', "'", '"', 'x', '\u00a0', '\u2028']), (t) =>
      assert.equal(endsWithNetmaskKey(t), old(t), JSON.stringify(t)),
    ),
    { numRuns: 5000 },
  );
  quick('blanks', () => assert.equal(endsWithNetmaskKey('netmask' + ' '.repeat(LONG) + 'x' + ' '.repeat(LONG)), false));
});

test('domain completion: the value after `key =`', () => {
  const old = (t: string) => {
    const m = /=\s*(['"]?)[^'"]*$/.exec(t);
    return m ? { quoted: m[1] !== '' } : undefined;
  };
  fc.assert(
    fc.property(str(['=', ' ', "'", '"', 'a', 'ip', '\t']), (t) => assert.deepEqual(valueStart(t), old(t), JSON.stringify(t))),
    { numRuns: 5000 },
  );
  quick('= = = … quote', () => assert.equal(valueStart('= '.repeat(LONG / 2) + "''"), undefined));
});

test('sysctl settings: key = value', () => {
  // the old pattern (`.` stops at \r, \u2028 and \u2029: those are left out of the middle of lines here)
  const old = (text: string) => {
    const out: { key: string; value: string; end: number }[] = [];
    let offset = 0;
    for (const line of text.split('\n')) {
      const m = /^(\s*)-?([A-Za-z0-9_./-]+)\s*=\s*(.*?)\s*$/.exec(line);
      if (m && !/^\s*[#;]/.test(line)) out.push({ key: m[2].replace(/\//g, '.'), value: m[3], end: offset + line.replace(/\s+$/, '').length });
      offset += line.length + 1;
    }
    return out;
  };
  fc.assert(
    fc.property(str(['net.ipv4.ip_forward', 'a/b', '-', ' ', '\t', '=', '1', 'x y', '#', ';', '\n'], 20), (t) => {
      assert.deepEqual(
        parseSysctl(t).settings.map((s) => ({ key: s.key, value: s.value, end: s.span.end })),
        old(t),
        JSON.stringify(t),
      );
    }),
    { numRuns: 3000 },
  );
  quick('blank runs', () => assert.equal(parseSysctl('a= ' + (' '.repeat(1000) + 'x').repeat(LONG / 1000)).settings.length, 1));
  quick('ensureForwarding', () => assert.ok(ensureForwarding('net.ipv4.ip_forward=' + 'x'.repeat(LONG) + '\u2028y\n').includes('net.ipv4.ip_forward')));
});

test('interfaces: a stanza that runs modprobe dummy', () => {
  const old = (t: string) => /\bmodprobe\b.*\bdummy\b/.test(t);
  fc.assert(
    fc.property(str(['modprobe', 'dummy', 'modprobedummy', ' ', '-', 'x', '\n', '\r', '_'], 12), (t) => assert.equal(loadsDummy(t), old(t), JSON.stringify(t))),
    { numRuns: 5000 },
  );
  quick('modprobe × many', () => assert.equal(loadsDummy('modprobe '.repeat(LONG / 9)), false));
});

test('the CLI puts a message on one line', () => {
  const old = (t: string) => t.replace(/\s*\n\s*/g, ' ');
  fc.assert(
    fc.property(str(['a', ' ', '\n', '\t', '\r', 'b c']), (t) => assert.equal(oneLine(t), old(t), JSON.stringify(t))),
    { numRuns: 5000 },
  );
  quick('blank runs', () => assert.equal(oneLine('a' + ' '.repeat(LONG) + 'b\nc').length, LONG + 4));
});
