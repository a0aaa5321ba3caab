// xen-net-check, run as a user runs it: the built bin (server/bin/xen-net-check -> dist/cli.js)
// spawned on hosts written into a temporary folder.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repoRoot } from '../support/paths';
import { INTERFACES as HOST_INTERFACES, XEND } from '../unit/host/helpers';

const bin = join(repoRoot, 'server', 'bin', 'xen-net-check');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  lines: string[];
}

function run(args: string[], cwd: string, as?: { uid: number; gid: number }): Run {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', timeout: 30_000, ...as });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, lines: r.stdout.split('\n').filter((l) => l !== '') };
}

const INTERFACES = '# the host of the article\n' + HOST_INTERFACES;
const MODULES = `# loaded at boot
dummy
`;
const VM1 = `name = "vm1"
memory = 256
vif = [ 'ip=80.68.86.194' ]
`;

let tmp: string;
before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'xen-net-check-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Writes a host (relative path -> text) under a fresh folder of tmp; returns the folder. */
function host(name: string, files: Record<string, string | Buffer>): string {
  const root = join(tmp, name);
  for (const [rel, text] of Object.entries(files)) {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  return root;
}

function articleHost(name: string, overrides: Record<string, string | Buffer> = {}): string {
  return host(name, {
    'etc/network/interfaces': INTERFACES,
    'etc/xen/xend-config.sxp': XEND,
    'etc/modules': MODULES,
    'etc/xen/vm1.cfg': VM1,
    ...overrides,
  });
}

test("the article's correct host: exit 0, no output line, a summary on stderr", () => {
  const root = articleHost('clean');
  const r = run(['.'], root);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.deepEqual(r.lines, []);
  assert.match(r.stderr, /^0 errors, 0 warnings in 4 files\n$/);
  // the same from outside the host, naming the etc folder
  const r2 = run([join('clean', 'etc')], tmp);
  assert.equal(r2.status, 0, r2.stdout + r2.stderr);
  assert.deepEqual(r2.lines, []);
});

test("a wrong broadcast and a guest on the gateway's address: the expected lines, exit 1", () => {
  const root = articleHost('wrong', {
    'etc/network/interfaces': INTERFACES.replace('broadcast 80.68.86.199', 'broadcast 80.68.86.255'),
    'etc/xen/vm1.cfg': VM1.replace('80.68.86.194', '80.68.86.193'),
  });
  const r = run(['.'], root);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.equal(r.lines.length, 2, r.stdout);
  assert.match(r.lines[0], /^etc\/network\/interfaces:15:15: warning: .*80\.68\.86\.199.* \[host\/wrong-broadcast\]$/);
  assert.match(r.lines[1], /^etc\/xen\/vm1\.cfg:3:13: error: .*80\.68\.86\.193.* \[host\/guest-ip-gateway\]$/);
  assert.match(r.stderr, /^1 error, 1 warning in 4 files\n$/);

  // one file named alone still gets its host's diagnostics (the others are read from disk)
  const one = run(['etc/xen/vm1.cfg'], root);
  assert.equal(one.status, 1);
  assert.deepEqual(one.lines, [r.lines[1]]);
  assert.match(one.stderr, /in 1 file\n$/);
});

test('--format json: one array of findings with 1-based positions', () => {
  const root = articleHost('json', { 'etc/xen/vm1.cfg': VM1.replace('80.68.86.194', '80.68.86.193') });
  const r = run(['--format', 'json', 'etc'], root);
  assert.equal(r.status, 1);
  const findings = JSON.parse(r.stdout);
  assert.ok(Array.isArray(findings));
  assert.equal(findings.length, 1);
  assert.deepEqual(Object.keys(findings[0]).sort(), ['code', 'column', 'endColumn', 'endLine', 'file', 'line', 'message', 'severity']);
  assert.equal(findings[0].file, join('etc', 'xen', 'vm1.cfg'));
  assert.equal(findings[0].line, 3);
  assert.equal(findings[0].column, 13);
  assert.equal(findings[0].endLine, 3);
  assert.equal(findings[0].endColumn, 13 + '80.68.86.193'.length);
  assert.equal(findings[0].severity, 'error');
  assert.equal(findings[0].code, 'host/guest-ip-gateway');
  // a clean host: an empty array
  const clean = run(['--format=json', '.'], articleHost('json-clean'));
  assert.equal(clean.status, 0);
  assert.deepEqual(JSON.parse(clean.stdout), []);
});

test('--subnet and --gateway-interface act as the two settings', () => {
  const root = articleHost('settings');
  // another routed block: the guest is now outside it
  const r = run(['--subnet', '10.0.0.0/24', '.'], root);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.ok(
    r.lines.some((l) => l.startsWith('etc/xen/vm1.cfg:3:') && /\[host\//.test(l)),
    r.stdout,
  );
  const g = run(['--gateway-interface', 'eth0', '.'], root);
  assert.notEqual(g.status, 2, g.stderr);
  assert.ok(g.lines.length > 0, 'the gateway on eth0 does not fit the article host');
});

test('xend scripts of two modes: said once, by the host check (the file-level note it supersedes is dropped)', () => {
  const root = articleHost('modes', { 'etc/xen/xend-config.sxp': "(network-script network-route)\n(vif-script 'vif-bridge')\n" });
  const r = run(['.'], root);
  const sxp = r.lines.filter((l) => l.startsWith('etc/xen/xend-config.sxp:'));
  assert.ok(
    sxp.some((l) => l.endsWith('[host/script-modes-differ]')),
    r.stdout,
  );
  assert.ok(!sxp.some((l) => l.endsWith('[sxp/script-pair]')), r.stdout);
  // a lone xend-config.sxp (no host around it) still gets the file-level note
  const lone = host('modes-lone', { 'xend-config.sxp': "(network-script network-route)\n(vif-script 'vif-bridge')\n" });
  assert.ok(run(['xend-config.sxp'], lone).lines.some((l) => l.endsWith('[sxp/script-pair]')));
});

test('usage errors exit 2 with a clear message', () => {
  const cases: [string[], RegExp][] = [
    [[], /no PATH given/],
    [['--bogus', '.'], /unknown option --bogus/],
    [['--format', 'xml', '.'], /--format takes text or json/],
    [['--format'], /--format needs a value/],
    [['--subnet', '80.68.86.192', '.'], /--subnet takes an IPv4 address\/prefix/],
    [['--dialect', 'netplan', '.'], /--dialect takes one of/],
    [['--toolstack', 'xe', '.'], /--toolstack takes one of/],
    [['--gateway-interface', 'a b', '.'], /--gateway-interface takes an interface name/],
    [['no-such-path'], /no-such-path: no such file or folder/],
  ];
  for (const [args, message] of cases) {
    const r = run(args, tmp);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '', args.join(' '));
    assert.match(r.stderr, message, args.join(' '));
  }
});

test('--help and --version exit 0', () => {
  const h = run(['--help'], tmp);
  assert.equal(h.status, 0);
  assert.match(h.stdout, /^usage: xen-net-check/);
  const v = run(['--version'], tmp);
  assert.equal(v.status, 0);
  assert.match(v.stdout, /^xen-net-check \d+\.\d+\.\d+\n$/);
});

test('bad bytes, a file not of ours and a domain file with a syntax error: lines, not a crash', () => {
  const root = articleHost('bytes', {
    'etc/xen/vm2.cfg': Buffer.from([0xef, 0xbb, 0xbf, 0x00, 0xff, 0xfe, 0x0d, 0x0a, 0x28, 0x28, 0x5b, 0x0a]),
    'etc/network/interfaces': INTERFACES.replace(/\n/g, '\r\n') + '\u0000\xff',
    'notes.txt': 'hello',
  });
  const r = run(['.', 'notes.txt'], root);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /errors?, \d+ warnings? in 5 files\n$/);
  for (const l of r.lines) assert.match(l, /^[^:]+:\d+:\d+: (error|warning|info|hint): .+ \[[a-z0-9-]+\/[a-z0-9-]+\]$/);
  assert.ok(
    r.lines.some((l) => l.startsWith('etc/xen/vm2.cfg:') && / error: /.test(l)),
    r.stdout,
  );
  assert.ok(
    r.lines.some((l) => l.startsWith('notes.txt:1:1: warning:') && l.endsWith('[cli/unknown-file]')),
    r.stdout,
  );
});

test('an unreadable file is reported as a line', () => {
  const root = articleHost('unreadable');
  chmodSync(join(root, 'etc/modules'), 0o000);
  // root reads every file: as root, the check runs as nobody, who can walk the folder but not
  // read that file
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chmodSync(tmp, 0o755);
  const r = run(['.'], root, asRoot ? { uid: 65534, gid: 65534 } : undefined);
  chmodSync(join(root, 'etc/modules'), 0o644);
  assert.equal(r.status, 1);
  assert.ok(
    r.lines.some((l) => /^etc\/modules:1:1: error: .*EACCES.* \[cli\/unreadable\]$/.test(l)),
    r.stdout,
  );
});

test('the e2e fixture (the article host) is clean', () => {
  const r = run([join('test', 'e2e', 'fixtures', 'article-host')], repoRoot);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.deepEqual(r.lines, []);
  assert.match(r.stderr, /^0 errors, 0 warnings in 4 files\n$/);
});

test("the README's example is the real output: the command it shows, run from the checkout, prints its text block", () => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## From the command line'));
  const command = /^\.\/server\/bin\/xen-net-check (\S+)/m.exec(section);
  assert.ok(command, 'the README shows a xen-net-check command');
  const start = section.indexOf('```text\n');
  assert.ok(start >= 0, 'the README shows its output in a text block');
  const block = section.slice(start + 8, section.indexOf('```', start + 8));
  const r = run([command[1]], repoRoot);
  assert.equal(r.stdout + r.stderr, block, 'the README block is what the command prints (stdout, then the summary on stderr)');
  assert.equal(r.status, /(^|\n)[1-9]\d* errors?,/.test(block) ? 1 : 0, 'exit 1 when the block counts errors');
});
