// The network proof: what "New Routed Network Setup" generates, applied over ssh by our apply path,
// really routes packets between upstream, dom0 and the guests (network namespaces, Debian's real
// ifup and vif-route; see topology.ts). Then a table of mistakes, each injected into the correct
// setup: what our checks say, and what the network does; the severity of the checks must follow
// the effect (breaks -> error, works but differs -> warning, no effect -> information at most).
// Kept in docs/network-proof.md.
import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { checksOf, effectOf, generated, runNetwork, type Files, type Finding, type NetworkRun } from './proof';
import { GATEWAY } from './proof';
import { namespaces as allNamespaces, UPSTREAM_IP, whyNotNetwork } from './topology';
import { requirement } from '../support/requirements';

/** The namespaces of this test's kind (xnp-*): others' tests may add and remove theirs meanwhile. */
const namespaces = (): string[] => allNamespaces().filter((n) => n.startsWith('xnp-'));

const network = requirement(whyNotNetwork(), 'SKIP_NETWORK');
const skip = network.skip;
beforeEach(() => network.check());

interface Mistake {
  name: string;
  inject(files: Files): Files;
  /** What the table must say: our checks' codes with severities, the network's effect and its facts. */
  checks: string[];
  effect: 'breaks' | 'wrong' | 'none';
  facts: string[];
}

const edit =
  (path: string, from: string | RegExp, to: string) =>
  (files: Files): Files => {
    const before = files[path];
    const after = before.replace(from, to);
    if (after === before) throw new Error(`injection did not change ${path}`);
    return { ...files, [path]: after };
  };

const MISTAKES: Mistake[] = [
  {
    name: "a vif without ip= (g2: vif = [ '' ])",
    inject: edit('etc/xen/g2.cfg', "vif = [ 'ip=80.68.86.195' ]", "vif = [ '' ]"),
    checks: ['error host/vif-without-ip (xen/g2.cfg)'],
    effect: 'breaks',
    facts: ['g2 -/-> 80.68.86.193', 'g2 -/-> 198.51.100.1', 'upstream -/-> 80.68.86.195'],
  },
  {
    name: 'a guest outside the subnet (g2 at 80.68.86.210)',
    inject: (f) => ({ ...f, 'etc/xen/g2.cfg': f['etc/xen/g2.cfg'].replaceAll('80.68.86.195', '80.68.86.210') }),
    checks: ['error host/guest-ip-outside-subnet (xen/g2.cfg)', 'warning host/xm-ip-mismatch (xen/g2.cfg)'],
    effect: 'breaks',
    facts: ['g2: ip route add default via 80.68.86.193 fails', 'g2 -/-> 80.68.86.193', 'g2 -/-> 198.51.100.1', 'upstream -/-> 80.68.86.210'],
  },
  {
    name: 'two guests on one address (g2 at 80.68.86.194 too)',
    inject: (f) => ({ ...f, 'etc/xen/g2.cfg': f['etc/xen/g2.cfg'].replaceAll('80.68.86.195', '80.68.86.194') }),
    checks: ['error host/duplicate-guest-ip (xen/g1.cfg)', 'error host/duplicate-guest-ip (xen/g2.cfg)'],
    effect: 'breaks',
    facts: ['vif2.0: vif-route online netdev=dummy0 fails', 'g2 -/-> 80.68.86.193', 'g2 -/-> 198.51.100.1'],
  },
  {
    name: 'a wrong broadcast (dummy0: broadcast 80.68.86.255)',
    inject: edit('etc/network/interfaces', 'broadcast 80.68.86.199', 'broadcast 80.68.86.255'),
    checks: ['warning host/wrong-broadcast (network/interfaces)'],
    effect: 'wrong',
    facts: ['dom0 addr dummy0 80.68.86.193/29 brd 80.68.86.255'],
  },
  {
    name: 'a wrong netmask (dummy0: netmask 255.255.255.240)',
    inject: edit('etc/network/interfaces', 'netmask 255.255.255.248', 'netmask 255.255.255.240'),
    checks: [
      'warning host/wrong-broadcast (network/interfaces)',
      'warning host/xm-netmask-mismatch (xen/g1.cfg)',
      'warning host/xm-netmask-mismatch (xen/g2.cfg)',
    ],
    effect: 'wrong',
    facts: ['dom0 addr dummy0 80.68.86.193/28 brd 80.68.86.199', 'dom0 route 80.68.86.192/28 dev dummy0 proto kernel scope link src 80.68.86.193'],
  },
  {
    name: "xend's scripts from different modes (network-bridge with vif-route)",
    inject: edit('etc/xen/xend-config.sxp', '(network-script network-route)', '(network-script network-bridge)'),
    checks: ['error host/script-modes-differ (xen/xend-config.sxp)'],
    effect: 'breaks',
    facts: ['g1 -/-> 198.51.100.1', 'upstream -/-> 80.68.86.194', 'g2 -/-> 198.51.100.1', 'upstream -/-> 80.68.86.195'],
  },
  {
    name: 'netdev left at eth0 ((vif-script vif-route))',
    inject: edit('etc/xen/xend-config.sxp', "(vif-script 'vif-route netdev=dummy0')", '(vif-script vif-route)'),
    checks: ['warning host/routed-netdev (xen/xend-config.sxp)'],
    effect: 'wrong',
    facts: [
      'dom0 addr vif1.0 198.51.100.2/32 brd 198.51.100.255',
      'dom0 addr vif2.0 198.51.100.2/32 brd 198.51.100.255',
      'dom0 route 80.68.86.194 dev vif1.0 scope link src 198.51.100.2 metric 2',
      'dom0 route 80.68.86.195 dev vif2.0 scope link src 198.51.100.2 metric 2',
    ],
  },
];

const fmt = (f: Finding): string => `${f.severity} ${f.code} (${f.file.replace(/^etc\//, '')})`;
const key = (f: Finding): string => `${f.file} ${f.code} ${f.severity}`;

let baseline: NetworkRun | undefined;
let baselineChecks: Finding[] = [];

test(
  'the generated routed setup (xend), applied over ssh, routes: guests reach the gateway and upstream, upstream reaches the guests',
  { skip, timeout: 60_000 },
  async () => {
    const before = namespaces();
    const files = generated('xend');
    baselineChecks = checksOf(files);
    assert.deepEqual(
      baselineChecks.filter((f) => f.severity === 'error' || f.severity === 'warning').map(fmt),
      [],
      'the generated setup has no error or warning',
    );
    const r = await runNetwork(files);
    baseline = r;
    console.log(`# correct setup: ${r.ms} ms; ${r.networkScript}`);
    for (const v of r.vifs) console.log(`#   ${v.vif}: ${v.argv.join(' ')} -> exit ${v.status}, hotplug-status ${v.hotplugStatus}`);
    for (const p of r.pings) console.log(`#   ping ${p.from} -> ${p.to}: ${p.ok ? 'ok' : 'FAILED'}`);
    for (const l of r.dom0) console.log(`#   dom0 ${l}`);
    assert.deepEqual(
      r.vifs.map((v) => [v.vif, v.status, v.hotplugStatus]),
      [
        ['vif1.0', 0, 'connected'],
        ['vif2.0', 0, 'connected'],
      ],
      JSON.stringify(r.vifs, null, 1),
    );
    assert.deepEqual(
      r.guests.map((g) => [g.guest, g.address, g.problems]),
      [
        ['g1', '80.68.86.194', []],
        ['g2', '80.68.86.195', []],
      ],
    );
    assert.deepEqual(
      r.pings.map((p) => `${p.from} -> ${p.to}: ${p.ok}`).sort(),
      [
        `g1 -> ${GATEWAY}: true`,
        `g1 -> ${UPSTREAM_IP}: true`,
        `g2 -> ${GATEWAY}: true`,
        `g2 -> ${UPSTREAM_IP}: true`,
        'upstream -> 80.68.86.194: true',
        'upstream -> 80.68.86.195: true',
      ].sort(),
    );
    // what vif-route did: each vif holds the gateway address /32, a host route to each guest
    assert.ok(
      r.dom0.some((l) => l.startsWith('addr vif1.0 80.68.86.193/32')),
      r.dom0.join('\n'),
    );
    assert.ok(
      r.dom0.some((l) => l.startsWith('route 80.68.86.194 dev vif1.0') && l.includes(`src ${GATEWAY}`)),
      r.dom0.join('\n'),
    );
    assert.ok(r.dom0.includes('addr dummy0 80.68.86.193/29 brd 80.68.86.199'), r.dom0.join('\n'));
    assert.deepEqual(namespaces(), before, 'every namespace of the run is gone');
  },
);

test('mistakes injected into the correct setup: what our checks say and what the network does', { skip, timeout: 150_000 }, async () => {
  const before = namespaces();
  const files = generated('xend');
  if (!baseline) {
    baselineChecks = checksOf(files);
    baseline = await runNetwork(files);
  }
  const base = new Set(baselineChecks.map(key));
  const rows: Row[] = [];
  for (const m of MISTAKES) {
    const mistaken = m.inject(files);
    const found = checksOf(mistaken).filter((f) => !base.has(key(f)) && f.severity !== 'hint');
    const r = await runNetwork(mistaken);
    const e = effectOf(r, baseline.dom0);
    rows.push({ name: m.name, checks: found.map(fmt), effect: e.effect, facts: e.facts, detail: e.detail, ms: r.ms });
  }
  console.log(table(rows));
  console.log(`# ${rows.length} mistakes, ${rows.map((r) => r.ms).join(' + ')} ms`);
  for (const [i, m] of MISTAKES.entries()) {
    const row = rows[i];
    assert.deepEqual(
      { name: row.name, checks: row.checks, effect: row.effect, facts: row.facts },
      { name: m.name, checks: m.checks, effect: m.effect, facts: m.facts },
      `${m.name}: ${row.detail}`,
    );
    // severity follows the effect
    const top = row.checks.some((c) => c.startsWith('error ')) ? 'error' : row.checks.some((c) => c.startsWith('warning ')) ? 'warning' : 'information';
    const want = { breaks: 'error', wrong: 'warning', none: 'information' }[row.effect];
    assert.equal(top, want, `${m.name}: the network says "${row.effect}" (${row.detail}), our checks' worst is ${top}`);
  }
  assert.deepEqual(namespaces(), before, 'every namespace of the runs is gone');
});

interface Row {
  name: string;
  checks: string[];
  effect: 'breaks' | 'wrong' | 'none';
  facts: string[];
  detail: string;
  ms: number;
}

function table(rows: Row[]): string {
  const out = ['| mistake | our checks say | the network does | effect | severity it calls for |', '|---|---|---|---|---|'];
  for (const r of rows) {
    const sev = { breaks: 'error', wrong: 'warning', none: 'information at most' }[r.effect];
    out.push(`| ${r.name} | ${r.checks.join('<br>') || '(nothing)'} | ${r.detail} | ${r.effect} | ${sev} |`);
  }
  return out.join('\n');
}

// xl runs no network script: the generated xl setup turns IP forwarding on itself, with
// etc/sysctl.d/xen-routed.conf, which the apply script loads (sysctl -p). Without it (the first
// version of the generator) the guests reached dom0 and nothing past it; host/xl-no-forwarding
// now says so in the editor.
test(
  'the generated routed setup (xl): vif-route gets netdev from vif.default.gatewaydev, the sysctl file turns forwarding on, every ping passes',
  { skip, timeout: 60_000 },
  async () => {
    const before = namespaces();
    const files = generated('xl');
    assert.ok(files['etc/xen/xl.conf'].includes('vif.default.gatewaydev="dummy0"'));
    assert.match(files['etc/sysctl.d/xen-routed.conf'] ?? '', /^net\.ipv4\.ip_forward = 1$/m);
    const r = await runNetwork(files);
    console.log(`# xl setup: ${r.ms} ms; ${r.networkScript}`);
    for (const v of r.vifs) console.log(`#   ${v.vif}: netdev=${v.env.netdev} ${v.argv.join(' ')} -> exit ${v.status}, hotplug-status ${v.hotplugStatus}`);
    for (const p of r.pings) console.log(`#   ping ${p.from} -> ${p.to}: ${p.ok ? 'ok' : 'FAILED'}`);
    assert.deepEqual(
      r.vifs.map((v) => [v.vif, v.env.netdev, v.status, v.hotplugStatus]),
      [
        ['vif1.0', 'dummy0', 0, 'connected'],
        ['vif2.0', 'dummy0', 0, 'connected'],
      ],
    );
    assert.ok(
      r.dom0.some((l) => l.startsWith('addr vif1.0 80.68.86.193/32')),
      r.dom0.join('\n'),
    );
    assert.ok(r.dom0.includes('ip_forward 1'), r.dom0.join('\n'));
    assert.deepEqual(
      r.pings.filter((p) => !p.ok),
      [],
      'every ping passes',
    );
    assert.equal(r.pings.length, 6);
    assert.deepEqual(namespaces(), before, 'every namespace of the run is gone');
  },
);

test('a run that fails half-way leaves no namespace or scratch folder behind', { skip, timeout: 30_000 }, async () => {
  const before = namespaces();
  let seen: string[] = [];
  let folders: string[] = [];
  await assert.rejects(runNetwork(generated('xend'), { failBeforePings: true }), (e: Error) => {
    seen = /with (.*) in place/.exec(e.message)?.[1].split(', ') ?? [];
    folders = /; scratch (.*)$/.exec(e.message)?.[1].split(' ') ?? [];
    return true;
  });
  assert.equal(seen.length, 4, 'dom0, upstream and two guests existed when it failed');
  assert.ok(
    seen.every((ns) => /^xnp-[0-9a-f]{6}-(dom0|up|g\d+)$/.test(ns)),
    seen.join(' '),
  );
  assert.deepEqual(namespaces(), before);
  assert.equal(folders.length, 2);
  for (const f of folders) assert.ok(!existsSync(f), `${f} is gone`);
});
