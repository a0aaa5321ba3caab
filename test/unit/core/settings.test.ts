import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSettings, resolveSettings, settingProblemReporter } from '../../../server/src/core/settings';

test('resolveSettings: usable values are taken, normalised; nothing to say', () => {
  const s = resolveSettings({
    network: { routedSubnet: ' 80.68.86.192/29 ', gatewayInterface: ' br0 ' },
    interfaces: { dialect: 'ifupdown2' },
    validation: { delay: 0 },
  });
  assert.equal(s.network.routedSubnet, '80.68.86.192/29');
  assert.equal(s.network.gatewayInterface, 'br0');
  assert.equal(s.interfaces.dialect, 'ifupdown2');
  assert.equal(s.validation.delay, 0);
  assert.deepEqual(s.problems, []);
  assert.deepEqual(resolveSettings(undefined), defaultSettings);
  assert.deepEqual(resolveSettings({ network: { routedSubnet: '' } }).problems, []);
});

test('resolveSettings: an unusable value falls back to its default and keeps its reason', () => {
  const s = resolveSettings({
    network: { routedSubnet: '80.68.86.193/29', gatewayInterface: 'eth0:1' },
    domain: { toolstack: 'xe' },
    validation: { delay: -5 },
  });
  assert.equal(s.network.routedSubnet, '');
  assert.equal(s.network.gatewayInterface, 'dummy0');
  assert.equal(s.domain.toolstack, 'auto');
  assert.equal(s.validation.delay, defaultSettings.validation.delay);
  const by = new Map(s.problems.map((p) => [p.setting, p.message]));
  assert.deepEqual([...by.keys()].sort(), ['xen.domain.toolstack', 'xen.network.gatewayInterface', 'xen.network.routedSubnet', 'xen.validation.delay']);
  assert.match(by.get('xen.network.routedSubnet')!, /not the start of a block/);
  assert.match(by.get('xen.network.gatewayInterface')!, /':'.*dummy0 is used instead/);
  assert.match(by.get('xen.domain.toolstack')!, /'xe' is not one of 'auto', 'xm', 'xl'/);
  // a hostile value is shortened in the message
  const long = resolveSettings({ domain: { toolstack: 'x'.repeat(100_000) } });
  assert.ok(long.problems[0].message.length < 200);
});

test('settingProblemReporter: each distinct problem told once', () => {
  const told: string[] = [];
  const report = settingProblemReporter((m) => told.push(m));
  const bad = resolveSettings({ network: { routedSubnet: 'x' } });
  assert.equal(report(bad), bad);
  report(bad);
  report(resolveSettings({ network: { routedSubnet: 'y' } }));
  assert.equal(told.length, 2);
  assert.match(told[0], /^xen\.network\.routedSubnet: 'x' is not an IPv4 subnet/);
});
