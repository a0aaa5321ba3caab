// Every domain check, each with a case that triggers it and one that does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ARTICLE, codes, diags, errors } from './helpers';

test("the article's domain file gets no diagnostics at all, whatever the toolstack", () => {
  for (const t of ['auto', 'xl', 'xm'] as const) assert.deepEqual(diags(ARTICLE, t), [], t);
  assert.deepEqual(diags("vif = [ 'ip=80.68.86.194,mac=00:16:3e:00:00:01,script=vif-route' ]\n", 'xl'), []);
});

test('domain/syntax: an error whatever the toolstack', () => {
  for (const t of ['auto', 'xl', 'xm'] as const) {
    assert.deepEqual(codes("name = 'vm1\n", t), ['domain/syntax']);
    assert.deepEqual(codes("name = 'vm1'\n", t), []);
  }
});

test('domain/xl-python: error under xl, accepted under xm, information/hint under auto', () => {
  const py = "name = 'vm%d' % 1\nmemory = 128 * 2\n";
  const xl = diags(py, 'xl');
  assert.deepEqual(
    xl.map((d) => [d.code, d.severity, d.range.start.line]),
    [
      ['domain/xl-python', 1, 0],
      ['domain/xl-python', 1, 1],
    ],
  );
  assert.match(xl[0].message, /'%' formatting/);
  assert.deepEqual(diags(py, 'xm'), []);
  const auto = diags(py, 'auto');
  assert.deepEqual(
    auto.map((d) => [d.code, d.severity]),
    [
      ['domain/xl-python', 3],
      ['domain/xl-python', 4],
    ],
  );
  assert.match(auto[0].message, /read as an xm file; xl would reject it here/);
  assert.deepEqual(codes("name = 'vm1'\n", 'xl'), []);
  assert.deepEqual(codes('acpi = True\n', 'xl'), ['domain/xl-python']);
  assert.deepEqual(codes('import os\n', 'xl'), ['domain/xl-python']);
});

test('domain/xl-lexical: what only xl refuses (escapes, CRLF, BOM) is an error under xl and under auto when nothing is xm-only, a warning when an xm-only key says xm', () => {
  assert.deepEqual(
    errors("a = 'C:\\dir'\n", 'xl').map((d) => d.code),
    ['domain/xl-lexical'],
  );
  assert.deepEqual(codes("extra = 'x'\r\n", 'auto'), ['domain/xl-lexical']);
  // no Python and no xm-only key: an xl file, which libxlutil refuses
  assert.equal(diags("extra = 'x'\r\n", 'auto')[0].severity, 1);
  assert.equal(diags("extra = 'x'\r\nbootargs = 'x'\r\n", 'auto').find((d) => d.code === 'domain/xl-lexical')!.severity, 2);
  assert.deepEqual(codes("extra = 'x'\r\n", 'xm'), []);
  assert.deepEqual(codes("extra = 'x\\n'\n", 'xl'), []);
});

test('domain/unknown-key: a warning, with a suggestion', () => {
  const d = diags('memroy = 256\n');
  assert.deepEqual(
    d.map((x) => [x.code, x.severity]),
    [['domain/unknown-key', 2]],
  );
  assert.match(d[0].message, /Did you mean 'memory'/);
  assert.deepEqual((d[0] as { data?: unknown }).data, { suggestion: 'memory' });
  assert.deepEqual(codes('memory = 256\n'), []);
  // xl.conf keys are known
  assert.deepEqual(codes('autoballoon = "off"\nvif.default.script = "vif-route"\nrun_hotplug_scripts = 1\n'), []);
});

test('domain/xm-only-key and domain/xl-only-key follow the toolstack', () => {
  assert.deepEqual(codes("ip = '80.68.86.194'\n", 'xl'), ['domain/xm-only-key']);
  assert.deepEqual(codes("ip = '80.68.86.194'\n", 'xm'), []);
  assert.deepEqual(codes("type = 'pvh'\n", 'xm'), ['domain/xl-only-key']);
  assert.deepEqual(codes("type = 'pvh'\n", 'xl'), []);
  assert.deepEqual(codes("ip = '80.68.86.194'\ntype = 'pvh'\n", 'auto'), []);
});

test('domain/duplicate-key: the earlier setting is flagged (the last wins), += is not a duplicate', () => {
  const d = diags('memory = 128\nmemory = 256\n');
  assert.deepEqual(
    d.map((x) => [x.code, x.severity, x.range.start.line]),
    [['domain/duplicate-key', 2, 0]],
  );
  assert.match(d[0].message, /set again on line 2/);
  // the related location (same document: its uri is filled in by the server) is the setting that wins
  assert.deepEqual(
    d[0].relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line, r.location.range.start.character]),
    [['', 1, 0]],
  );
  assert.deepEqual(codes("extra = 'a'\nextra += ' b'\n"), []);
  assert.deepEqual(codes("if x:\n  extra = 'a'\nelse:\n  extra = 'b'\n", 'xm'), []);
});

test('value types: numbers, memory sizes, booleans, strings, lists, actions, enums', () => {
  assert.deepEqual(codes("memory = 'lots'\n"), ['domain/expected-number']);
  assert.deepEqual(codes("memory = '512'\n"), []);
  assert.deepEqual(codes("memory = '512M'\n"), ['domain/memory-unit']);
  assert.deepEqual(codes('memory = 08\n'), ['domain/invalid-number']);
  assert.deepEqual(codes('memory = 0x200\n'), []);
  assert.deepEqual(codes('vcpus = [1]\n'), ['domain/expected-number']);
  assert.deepEqual(codes("acpi = 'yes'\n"), ['domain/expected-boolean']);
  assert.deepEqual(codes('acpi = 1\n'), []);
  assert.deepEqual(codes("name = ['a']\n"), ['domain/expected-string']);
  assert.deepEqual(codes("name = 'a'\n"), []);
  assert.deepEqual(codes("disk = 'phy:/dev/vg/a,xvda,w'\n"), ['domain/expected-list']);
  assert.deepEqual(codes("disk = [ 'phy:/dev/vg/a,xvda,w' ]\n"), []);
  assert.deepEqual(codes("on_crash = 'reboot'\n"), ['domain/unknown-action']);
  assert.deepEqual(codes("on_crash = 'coredump-restart'\n"), []);
  assert.deepEqual(codes("type = 'pvm'\n"), ['domain/unknown-value']);
  assert.deepEqual(codes("type = 'hvm'\n"), []);
  // Python values are not judged (their value is only known when xm runs them)
  assert.deepEqual(codes('memory = 128 * 2\n', 'xm'), []);
});

test('vif keys per toolstack: unknown everywhere is an error; known to one toolstack only depends on the setting', () => {
  assert.deepEqual(codes("vif = [ 'ipaddr=1.2.3.4' ]\n"), ['domain/unknown-vif-key']);
  assert.match(diags("vif = [ 'brige=xenbr0' ]\n")[0].message, /Did you mean 'bridge'/);
  assert.deepEqual(codes("vif = [ 'gatewaydev=eth0' ]\n", 'xl'), []);
  assert.deepEqual(codes("vif = [ 'gatewaydev=eth0' ]\n", 'xm'), ['domain/vif-key-toolstack']);
  assert.deepEqual(codes("vif = [ 'policy=x' ]\n", 'xl'), ['domain/vif-key-toolstack']);
  assert.deepEqual(codes("vif = [ 'policy=x' ]\n", 'xm'), []);
  assert.equal(diags("vif = [ 'policy=x' ]\n", 'auto')[0].severity, 2);
  assert.deepEqual(codes("vif = [ 'netdev=eth0' ]\n", 'xl'), ['domain/vif-deprecated-key']);
  assert.deepEqual(codes("vif = [ 'trusted,bridge=xenbr0' ]\n", 'xl'), []);
  assert.deepEqual(codes("vif = [ 'bridge' ]\n", 'xl'), ['domain/vif-syntax']);
  assert.deepEqual(codes("vif = [ 'ip=1.2.3.4,ip=1.2.3.5' ]\n", 'xl'), ['domain/duplicate-vif-key']);
  assert.deepEqual(codes('vif = [ 1 ]\n', 'xl'), ['domain/expected-string']);
});

test('vif values: MAC addresses, IPv4/IPv6 addresses (several in xl), rate, mtu, type', () => {
  const d = diags("vif = [ 'mac=00:16:3e:zz:00:01' ]\n");
  assert.deepEqual(
    d.map((x) => x.code),
    ['domain/invalid-mac'],
  );
  assert.deepEqual(d[0].range, { start: { line: 0, character: 13 }, end: { line: 0, character: 30 } });
  assert.deepEqual(codes("vif = [ 'mac=00:16:3E:74:3d:76' ]\n"), []);
  assert.deepEqual(codes("vif = [ 'mac=00:16:3e:00:00:01', 'mac=00:16:3e:00:00:01' ]\n"), ['domain/duplicate-mac']);
  const ip = diags("vif = [ 'ip=80.68.86.300' ]\n");
  assert.deepEqual(
    ip.map((x) => x.code),
    ['domain/invalid-ip'],
  );
  assert.deepEqual(ip[0].range, { start: { line: 0, character: 12 }, end: { line: 0, character: 24 } });
  assert.deepEqual(codes("vif = [ 'ip=10.0.0.1 10.1.1.1 2000::1' ]\n", 'xl'), []);
  // xend passes the whole ip= string to the vif script, which loops over its words: fine under xm too
  assert.deepEqual(codes("vif = [ 'ip=10.0.0.1 10.1.1.1' ]\n", 'xm'), []);
  const two = diags("vif = [ 'ip=10.0.0.1 10.1.1.x' ]\n", 'xl');
  assert.deepEqual(two[0].range, { start: { line: 0, character: 21 }, end: { line: 0, character: 29 } });
  assert.deepEqual(codes("vif = [ 'ip=80.68.86.194/29' ]\n"), []);
  assert.deepEqual(codes("vif = [ 'rate=10MB/s@20ms' ]\n"), []);
  assert.deepEqual(codes("vif = [ 'rate=fast' ]\n"), ['domain/invalid-vif-value']);
  assert.deepEqual(codes("vif = [ 'mtu=9000,devid=1' ]\n", 'xl'), []);
  assert.deepEqual(codes("vif = [ 'mtu=big' ]\n", 'xl'), ['domain/invalid-vif-value']);
  assert.deepEqual(codes("vif = [ 'type=netfront' ]\n", 'xl'), ['domain/invalid-vif-value']);
});

test('every code is domain/<rule>', () => {
  const all = [...diags("memroy = 1\nmemory = 'x'\nvif = [ 'foo=1,mac=1' ]\nname = 'vm%d' % 1\n", 'xl'), ...diags("a = 'x\\q'\r\n", 'xl')];
  for (const d of all) {
    assert.match(String(d.code), /^domain\/[a-z-]+$/);
    assert.equal(d.source, 'xen');
    assert.ok(d.message.length > 10);
  }
});
