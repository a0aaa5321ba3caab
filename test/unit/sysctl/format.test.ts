import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkSysctl, ensureForwarding, forwardingOf, parseSysctl, readSysctl, sysctlSettings } from '../../../server/src/formats/sysctl/service';

test('parse: entries, comments, invalid lines, spans and lines', () => {
  const text = '# comment\n; also\n net/ipv4/ip_forward = 1 \n\n-kernel.x=2\r\nno equals here\n = v\nk =\n';
  const f = parseSysctl(text);
  assert.equal(f.comments.length, 2);
  assert.deepEqual(
    f.invalid.map((l) => l.line),
    [6],
  );
  assert.deepEqual(
    f.entries.map((e) => [e.line, e.key, e.value, e.ignoreUnknown]),
    [
      [3, 'net/ipv4/ip_forward', '1', false],
      [5, 'kernel.x', '2', true],
      [7, '', 'v', false],
      [8, 'k', '', false],
    ],
  );
  const e = f.entries[0];
  assert.equal(text.slice(e.span.start, e.span.end), 'net/ipv4/ip_forward = 1');
  assert.equal(text.slice(e.keySpan.start, e.keySpan.end), 'net/ipv4/ip_forward');
  assert.equal(text.slice(e.valueSpan.start, e.valueSpan.end), '1');
  // the host model's view: plain names, `/` read as `.`, empty values kept
  assert.deepEqual(
    f.settings.map((s) => [s.key, s.value]),
    [
      ['net.ipv4.ip_forward', '1'],
      ['kernel.x', '2'],
      ['k', ''],
    ],
  );
  // what sysctl -p refuses, in line order
  assert.deepEqual(
    checkSysctl(f).map((p) => p.line),
    [6, 7, 8],
  );
  assert.match(checkSysctl(f)[2].message, /no value after `k =`/);
  assert.deepEqual(sysctlSettings(f), [
    { key: 'net.ipv4.ip_forward', value: '1', line: 3 },
    { key: 'kernel.x', value: '2', line: 5 },
  ]);
  assert.deepEqual(
    readSysctl(text).problems.map((p) => p.line),
    [6, 7, 8],
  );
});

test('forwarding: the last forwarding line of the file wins', () => {
  assert.equal(forwardingOf(parseSysctl('kernel.x = 1\n')), undefined);
  assert.equal(forwardingOf(parseSysctl('net.ipv4.ip_forward = 1\nnet.ipv4.conf.all.forwarding = 0\n'))?.on, false);
  const t = 'net.ipv4.ip_forward=0\nnet/ipv4/ip_forward = 1\n';
  const f = forwardingOf(parseSysctl(t))!;
  assert.equal(f.on, true);
  assert.equal(t.slice(f.span.start, f.span.end), 'net/ipv4/ip_forward = 1');
});

test('edit: ensureForwarding changes the value in place, or adds the line; everything else stays', () => {
  assert.equal(ensureForwarding(undefined), ensureForwarding(''));
  assert.match(ensureForwarding('  \n'), /^# Routed Xen networking[^\n]*\n#[^\n]*\nnet\.ipv4\.ip_forward = 1\n$/);
  assert.equal(ensureForwarding('a = 1\nnet.ipv4.ip_forward = 0 # off\nb=2\n'), 'a = 1\nnet.ipv4.ip_forward = 1 # off\nb=2\n');
  assert.equal(ensureForwarding('net/ipv4/ip_forward=\n'), 'net/ipv4/ip_forward=1\n');
  assert.equal(ensureForwarding('a = 1\r\nb = 2'), 'a = 1\r\nb = 2\r\nnet.ipv4.ip_forward = 1\r\n');
  const on = '# keep\nnet.ipv4.ip_forward = 1\n';
  assert.equal(ensureForwarding(on), on);
  // a commented-out line is not a setting
  assert.equal(ensureForwarding('#net.ipv4.ip_forward = 0\n'), '#net.ipv4.ip_forward = 0\nnet.ipv4.ip_forward = 1\n');
});

test('round trip: after the edit the file forwards, has no new problem, and keeps every other line', () => {
  const line = fc.oneof(
    fc.constantFrom(
      'net.ipv4.ip_forward = 0',
      'net/ipv4/ip_forward=1',
      '# net.ipv4.ip_forward = 0',
      'kernel.x = 2',
      '',
      '  ',
      'junk',
      '-net.ipv4.ip_forward = 0',
      'a = b = c',
      '; c',
    ),
    fc.string({ maxLength: 12 }).filter((s) => !s.includes('\n')),
  );
  fc.assert(
    fc.property(fc.array(line, { maxLength: 8 }), fc.boolean(), (lines, crlf) => {
      const text = lines.join(crlf ? '\r\n' : '\n');
      const out = ensureForwarding(text);
      const after = parseSysctl(out);
      assert.equal(forwardingOf(after)?.on, true, JSON.stringify(text));
      if (text.trim() !== '') {
        assert.ok(checkSysctl(after).length <= checkSysctl(parseSysctl(text)).length, JSON.stringify(text));
        // the lines that set other keys are all still there, unchanged
        const others = (f: ReturnType<typeof parseSysctl>) =>
          f.entries.filter((e) => e.key.split('/').join('.') !== 'net.ipv4.ip_forward').map((e) => `${e.key}=${e.value}`);
        assert.deepEqual(others(after), others(parseSysctl(text)));
        assert.equal(ensureForwarding(out), out, 'a second edit changes nothing');
      }
    }),
    { numRuns: 2000 },
  );
});

test('hostile input stays linear: long lines, long blank runs, many lines, many `=`', () => {
  const N = 1_000_000;
  for (const text of [
    'a' + ' '.repeat(N) + '=' + ' '.repeat(N) + 'x\n',
    '='.repeat(N),
    '\n'.repeat(N),
    'net.ipv4.ip_forward=' + 'x'.repeat(N) + '\u2028y\n',
    'k = v\n'.repeat(N / 30),
    'abc\n'.repeat(N / 20),
    '-'.repeat(N) + '=1',
    '\t \r'.repeat(N / 3) + '#',
  ]) {
    const t0 = Date.now();
    const f = parseSysctl(text);
    checkSysctl(f);
    forwardingOf(f);
    ensureForwarding(text);
    // (a quadratic reading takes minutes on these; the bound leaves room for a loaded machine)
    assert.ok(Date.now() - t0 < 3000, `${JSON.stringify(text.slice(0, 20))}: ${Date.now() - t0} ms`);
  }
});
