// The live readers on what the real commands print: a network namespace of this test's own
// (xlv-<random>) is set up like a routed Xen host (dummy0 with the gateway address, a vif with a
// route to a guest), and ip, sysctl and the live script itself run in it. Then the comparison with
// the host model, and the readers on hostile text.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import {
  compareLive,
  LIVE_SCRIPT,
  parseBriefAddr,
  parseBriefLink,
  parseModuleList,
  parseRoutes,
  parseSysctlValue,
  parseXlList,
  parseXlNetworkList,
  readLiveOutput,
  type LiveState,
} from '../../../server/src/live';
import { host, INTERFACES, XEND, vm, ROOT } from '../host/helpers';
import { requirement } from '../../support/requirements';

const NS = `xlv-${randomBytes(3).toString('hex')}`;

function whyNot(): string | null {
  if (process.getuid?.() !== 0) return 'needs root (a network namespace to run ip and sysctl in)';
  if (!existsSync('/usr/sbin/ip') && !existsSync('/sbin/ip') && !existsSync('/bin/ip')) return 'ip is missing (Debian package iproute2)';
  return null;
}
const need = requirement(whyNot(), 'SKIP_NETWORK');

function sh(argv: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', input, timeout: 20_000 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
}
function must(...argv: string[]): string {
  const r = sh(argv);
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
  return r.stdout;
}
/** Runs a command in the namespace and gives what it printed. */
const inNs = (...argv: string[]): string => must('ip', 'netns', 'exec', NS, ...argv);

let made = false;
before(() => {
  if (whyNot()) return;
  must('ip', 'netns', 'add', NS);
  made = true;
  must('ip', '-n', NS, 'link', 'set', 'lo', 'up');
  // (no dummy link type in this kernel: a bridge without ports stands for dummy0, as in test/support/ssh-host.ts)
  must('ip', '-n', NS, 'link', 'add', 'dummy0', 'type', 'bridge');
  must('ip', '-n', NS, 'addr', 'add', '80.68.86.193/29', 'broadcast', '80.68.86.199', 'dev', 'dummy0');
  must('ip', '-n', NS, 'link', 'set', 'dummy0', 'up');
  must('ip', '-n', NS, 'link', 'add', 'vif1.0', 'type', 'veth', 'peer', 'name', 'peer1');
  must('ip', '-n', NS, 'link', 'add', 'vif2.0', 'type', 'veth', 'peer', 'name', 'peer2');
  for (const v of ['vif1.0', 'vif2.0']) {
    must('ip', '-n', NS, 'addr', 'add', '80.68.86.193/32', 'dev', v);
    must('ip', '-n', NS, 'link', 'set', v, 'up');
  }
  // what vif-route does for guest 1; guest 2's route is missing
  must('ip', '-n', NS, 'route', 'add', '80.68.86.194', 'dev', 'vif1.0', 'src', '80.68.86.193');
  inNs('sysctl', '-q', '-w', 'net.ipv4.ip_forward=0');
});
after(() => {
  if (made) sh(['ip', 'netns', 'del', NS]);
});

test('ip -br addr and ip -br link: each interface, its state, its IPv4 addresses and whether it is set up', () => {
  need.check();
  const addr = parseBriefAddr(inNs('ip', '-br', 'addr'));
  assert.deepEqual(addr.get('dummy0')?.addresses, [{ address: '80.68.86.193', prefix: 29 }]);
  assert.deepEqual(addr.get('vif1.0')?.addresses, [{ address: '80.68.86.193', prefix: 32 }]);
  assert.deepEqual(addr.get('lo')?.addresses, [{ address: '127.0.0.1', prefix: 8 }]);
  assert.ok(addr.has('peer1'), [...addr.keys()].join(' ')); // (ip prints peer1@vif1.0)
  const link = parseBriefLink(inNs('ip', '-br', 'link'));
  assert.equal(link.get('dummy0')?.adminUp, true);
  assert.equal(link.get('vif1.0')?.adminUp, true);
  assert.equal(link.get('peer1')?.adminUp, false);
  // set down: the flag goes
  must('ip', '-n', NS, 'link', 'set', 'dummy0', 'down');
  try {
    assert.equal(parseBriefLink(inNs('ip', '-br', 'link')).get('dummy0')?.adminUp, false);
  } finally {
    must('ip', '-n', NS, 'link', 'set', 'dummy0', 'up');
  }
});

test('ip route: the host route to a guest, its device and source, the prefix route of dummy0', () => {
  need.check();
  const routes = parseRoutes(inNs('ip', 'route'));
  const guest = routes.find((r) => r.dest === '80.68.86.194');
  assert.deepEqual({ dev: guest?.dev, src: guest?.src, type: guest?.type }, { dev: 'vif1.0', src: '80.68.86.193', type: 'unicast' });
  assert.ok(guest?.linkdown, 'the veth peer is down: ip says linkdown');
  assert.ok(
    routes.some((r) => r.dest === '80.68.86.192/29' && r.dev === 'dummy0'),
    JSON.stringify(routes),
  );
  assert.ok(!routes.some((r) => r.dest === '80.68.86.195'));
});

test('sysctl net.ipv4.ip_forward, in both forms', () => {
  need.check();
  assert.equal(parseSysctlValue(inNs('sysctl', 'net.ipv4.ip_forward'), 'net.ipv4.ip_forward'), '0');
  assert.equal(parseSysctlValue(inNs('sysctl', '-n', 'net.ipv4.ip_forward'), 'net.ipv4.ip_forward'), '0');
  assert.equal(parseSysctlValue(inNs('sysctl', 'net.ipv4.conf.all.forwarding'), 'net.ipv4.ip_forward'), undefined);
});

/** The files of the host the namespace stands for: guests g1 (.194) and g2 (.195), forwarding on in sysctl.d. */
function files(): Record<string, string> {
  return {
    'etc/network/interfaces': INTERFACES,
    'etc/xen/xend-config.sxp': XEND,
    'etc/modules': 'loop\ndummy\n',
    'etc/sysctl.d/xen-routed.conf': 'net.ipv4.ip_forward = 1\n',
    'etc/xen/g1.cfg': vm('g1', "'ip=80.68.86.194'"),
    'etc/xen/g2.cfg': vm('g2', "'ip=80.68.86.195'"),
  };
}

/** Each finding as `file: code severity "the text it covers"`. */
function findings(state: LiveState, f = files()): string[] {
  const model = host(f);
  return compareLive(model, state).findings.map((x) => {
    const text = model.files.get(x.uri)!.text.slice(x.span.start, x.span.end);
    return `${x.uri.slice(ROOT.length + 1)}: ${x.code} ${x.severity === 1 ? 'error' : 'warning'} ${JSON.stringify(text)}`;
  });
}

test('the live script, run in the namespace, read and compared with the files: the missing route and forwarding off, each on its line', () => {
  need.check();
  const r = sh(['ip', 'netns', 'exec', NS, '/bin/sh', '-s'], LIVE_SCRIPT);
  assert.equal(r.status, 0, r.stderr);
  const state = readLiveOutput(r.stdout);
  assert.ok(state.interfacesRead && state.routesRead, state.notes.join('; '));
  assert.equal(state.forwarding, false);
  assert.equal(state.interfaces.get('dummy0')?.adminUp, true);
  // this machine: xl is installed but no hypervisor answers, or xl is absent; either is said
  assert.notEqual(state.xl.state, 'ok');
  assert.ok(
    state.notes.some((n) => n.includes('xl')),
    state.notes.join('; '),
  );
  // lsmod: whether it can run here or not, the script says which, and /sys/module is read
  assert.ok(state.modules !== undefined || state.notes.some((n) => n.startsWith('lsmod')), state.notes.join('; '));
  const found = findings(state).filter((f) => !f.includes('module-not-loaded'));
  assert.deepEqual(found, [
    'etc/sysctl.d/xen-routed.conf: live/forwarding-off error "net.ipv4.ip_forward = 1"',
    // (vif2.0 routes nothing: a running guest lost its route, so an error though xl did not answer)
    'etc/xen/g2.cfg: live/guest-route-missing error "80.68.86.195"',
  ]);
});

test('dummy0 down, without its address, or missing: each said on the address line of the interfaces file', () => {
  need.check();
  const read = (): LiveState => readLiveOutput(sh(['ip', 'netns', 'exec', NS, '/bin/sh', '-s'], LIVE_SCRIPT).stdout);
  const gw = (s: LiveState) => findings(s).filter((f) => f.startsWith('etc/network/interfaces'));
  must('ip', '-n', NS, 'link', 'set', 'dummy0', 'down');
  assert.deepEqual(gw(read()), ['etc/network/interfaces: live/gateway-interface-down warning "80.68.86.193"']);
  must('ip', '-n', NS, 'link', 'set', 'dummy0', 'up');
  must('ip', '-n', NS, 'addr', 'del', '80.68.86.193/29', 'dev', 'dummy0');
  assert.deepEqual(gw(read()), ['etc/network/interfaces: live/gateway-address-missing error "80.68.86.193"']);
  must('ip', '-n', NS, 'addr', 'add', '80.68.86.193/28', 'dev', 'dummy0');
  assert.deepEqual(gw(read()), ['etc/network/interfaces: live/gateway-prefix-differs warning "80.68.86.193"']);
  must('ip', '-n', NS, 'link', 'del', 'dummy0');
  const gone = read();
  assert.deepEqual(gw(gone), ['etc/network/interfaces: live/gateway-interface-missing error "80.68.86.193"']);
  // restore for the other tests
  must('ip', '-n', NS, 'link', 'add', 'dummy0', 'type', 'bridge');
  must('ip', '-n', NS, 'addr', 'add', '80.68.86.193/29', 'broadcast', '80.68.86.199', 'dev', 'dummy0');
  must('ip', '-n', NS, 'link', 'set', 'dummy0', 'up');
  assert.deepEqual(gw(read()), []);
});

// xl cannot run here (no hypervisor): the comparison's xl half is tested on a state built in code
function state(over: Partial<LiveState>): LiveState {
  return {
    interfaces: new Map([
      ['dummy0', { name: 'dummy0', state: 'UNKNOWN', adminUp: true, addresses: [{ address: '80.68.86.193', prefix: 29 }] }],
      ['vif3.0', { name: 'vif3.0', state: 'UP', adminUp: true, addresses: [{ address: '80.68.86.193', prefix: 32 }] }],
    ]),
    interfacesRead: true,
    routes: [{ dest: '80.68.86.196', type: 'unicast', dev: 'vif3.0', linkdown: false }],
    routesRead: true,
    modules: new Set(['dummy']),
    forwarding: true,
    xl: { state: 'ok', domains: [{ name: 'g1', id: 3, vifs: [{ name: 'vif3.0', idx: 0 }] }] },
    notes: [],
    ...over,
  };
}

test('with xl: a running guest whose vif carries another address; a guest that is not running is left alone', () => {
  const model = host(files());
  const c = compareLive(model, state({}));
  assert.deepEqual(
    c.findings.map((f) => [f.code, f.uri.slice(ROOT.length + 1), f.severity]),
    [['live/vif-address-mismatch', 'etc/xen/g1.cfg', 2]],
  );
  assert.match(c.findings[0].message, /vif3\.0 carries 80\.68\.86\.196/);
  assert.ok(
    c.notes.some((n) => n.startsWith('g2 is not running')),
    c.notes.join('; '),
  );
  // the same guest with its route gone: an error (xl says it runs)
  const cut = compareLive(model, state({ routes: [] }));
  assert.deepEqual(
    cut.findings.map((f) => [f.code, f.severity]),
    [['live/guest-route-missing', 1]],
  );
  assert.match(cut.findings[0].message, /g1 runs \(domain 3, vif3\.0\)/);
});

test('the dummy module: not loaded while /etc/modules loads it', () => {
  const noModule = findings(state({ modules: new Set(['loop']) }));
  assert.ok(noModule.includes('etc/modules: live/module-not-loaded warning "dummy"'), noModule.join('\n'));
  const noDummy0 = findings(state({ modules: new Set(), interfaces: new Map() }));
  assert.ok(noDummy0.includes('etc/modules: live/module-not-loaded error "dummy"'), noDummy0.join('\n'));
  // forwarding off with no sysctl file: on xend's network-route line
  const f = files();
  delete f['etc/sysctl.d/xen-routed.conf'];
  assert.ok(findings(state({ forwarding: false }), f).includes('etc/xen/xend-config.sxp: live/forwarding-off error "network-route"'));
});

test('the readers on hostile text: any bytes, long lines, many lines; bounded and never throwing', () => {
  const junk = [
    '\u0000'.repeat(100_000),
    '@'.repeat(200_000),
    ' '.repeat(300_000) + 'x',
    'a b '.repeat(100_000),
    '1 2 3\n'.repeat(100_000),
    '==xen-live== addr\n' + 'x UP 1.2.3.4/24 '.repeat(20_000) + '\n==xen-live-end== 0\n',
    '==xen-live== xl-list\nName ID\n' +
      'd 7 1 1 r 0\n'.repeat(5000) +
      '==xen-live-end== 0\n' +
      '==xen-live== xl-network-list 7\n0 0 00:16:3e:00:00:01 0 4 9 768/769 /local/domain/0/backend/vif/7/0\n==xen-live-end== 0\n',
    randomBytes(200_000).toString('latin1'),
  ];
  for (const t of junk) {
    for (const read of [parseBriefAddr, parseBriefLink, parseRoutes, parseModuleList, parseXlList, parseXlNetworkList]) read(t);
    parseSysctlValue(t, 'net.ipv4.ip_forward');
    const s = readLiveOutput(t);
    compareLive(host(files()), s);
  }
  // the caps: one line of 20,000 addresses keeps the first words only; 5,000 domains stop at the cap
  assert.ok((readLiveOutput(junk[5]).interfaces.get('x')?.addresses.length ?? 0) <= 256);
  const xl = readLiveOutput(junk[6]).xl;
  assert.equal(xl.state, 'ok');
  if (xl.state === 'ok') {
    assert.ok(xl.domains.length <= 1000);
    assert.deepEqual(xl.domains[0].vifs, [{ name: 'vif7.0', idx: 0, mac: '00:16:3e:00:00:01' }]);
  }
  // an output with no sections says what could not be read, and finds nothing
  const empty = readLiveOutput('');
  assert.ok(!empty.interfacesRead && empty.notes.length >= 3, empty.notes.join('; '));
  assert.deepEqual(compareLive(host(files()), empty).findings, []);
});

test('the live script is one fixed text that shellcheck passes, and only reads', () => {
  const r = spawnSync('shellcheck', ['-s', 'sh', '-'], { input: LIVE_SCRIPT, encoding: 'utf8' });
  if (r.error) assert.fail('shellcheck is not installed (Debian package shellcheck): install it with bash scripts/setup.sh');
  assert.equal(r.status, 0, r.stdout);
  // nothing that writes: no redirection into a file, no set/add/del/-w
  for (const word of [' > ', '>>', ' -w ', ' add ', ' del ', ' set ', 'modprobe', 'rm ', 'tee ']) assert.ok(!LIVE_SCRIPT.includes(word), word);
});
