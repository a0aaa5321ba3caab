// Check Live Host against the network proof's host (topology.ts, proof.ts): the generated routed
// setup (xl) applied over ssh to the test host, the guests started with Debian's real vif-route,
// then the language server asked xen/live/check over ssh (the apply's ssh, the test host's
// ssh_config) while one fault at a time is injected into the running dom0: dummy0 down, a guest's
// route removed, forwarding off. Each must be reported with its code on the right line of the right
// file, in the answer and in the diagnostics published for the open files; the pings say what the
// fault does to the network, and the severity must follow (the house rule: error = it breaks).
// Every namespace is deleted afterwards, also when a step fails (runNetwork's finally).
import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { generated, runNetwork, type UpNetwork } from './proof';
import { namespaces as allNamespaces, whyNotNetwork, type PingResult } from './topology';
import { requirement } from '../support/requirements';
import { serverForFile } from '../support/lsp-server';
import { writeTempHost } from '../support/temp-host';
import type { TestClient } from '../support/lsp-client';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import type { HostView, LiveCheck } from '../../server/src/protocol';

const namespaces = (): string[] => allNamespaces().filter((n) => n.startsWith('xnp-'));
const network = requirement(whyNotNetwork(), 'SKIP_NETWORK');
beforeEach(() => network.check());

let client: TestClient;
serverForFile((c) => (client = c));

/** The 0-based line of the first line of text that holds `needle` after the line holding `after`. */
function lineOf(text: string, needle: string, after?: string): number {
  const lines = text.split('\n');
  const from = after === undefined ? 0 : lines.findIndex((l) => l.includes(after));
  const i = lines.findIndex((l, n) => n >= from && l.includes(needle));
  if (i < 0) throw new Error(`no line with ${needle} in ${text}`);
  return i;
}

test(
  'Check Live Host over ssh on the running routed host: clean, then dummy0 down, a route removed, forwarding off, each at its line',
  { skip: network.skip, timeout: 120_000 },
  async () => {
    const before = namespaces();
    const files = generated('xl');
    const local = writeTempHost(files, 'xen-live-');
    const rel = {
      interfaces: 'etc/network/interfaces',
      g2: 'etc/xen/g2.cfg',
      sysctl: 'etc/sysctl.d/xen-routed.conf',
    };
    for (const r of Object.values(rel)) assert.ok(files[r] !== undefined, `the generated setup has ${r}`);
    const want = {
      interfaces: { uri: local.uri(rel.interfaces), line: lineOf(files[rel.interfaces], 'address', 'iface dummy0') },
      g2: { uri: local.uri(rel.g2), line: lineOf(files[rel.g2], '80.68.86.195') },
      sysctl: { uri: local.uri(rel.sysctl), line: lineOf(files[rel.sysctl], 'net.ipv4.ip_forward') },
    };
    await client.open(want.interfaces.uri, 'debian-interfaces', files[rel.interfaces]);
    await client.open(want.g2.uri, 'xen-domain', files[rel.g2]);

    const log: string[] = [];
    const effects: Record<string, PingResult[]> = {};
    await runNetwork(files, {
      whileUp: async (up: UpNetwork) => {
        const check = async (what: string): Promise<Extract<LiveCheck, { ok: true }>> => {
          const r = await client.request<LiveCheck>('xen/live/check', {
            root: pathToFileURL(local.root).href,
            host: { name: 'dom0', destination: up.host.alias, folder: local.root },
            sshConfigUri: pathToFileURL(up.host.configFile).href,
            timeoutMs: 30_000,
          });
          assert.ok(r.ok, `${what}: ${JSON.stringify(r)}`);
          log.push(
            `# ${what}: ${r.findings.map((f) => `${f.severity} ${f.code} ${f.uri.slice(f.uri.lastIndexOf('/') + 1)}:${f.range.start.line + 1}`).join(', ') || 'nothing'} (${r.ms} ms; notes: ${r.notes.join(' | ')})`,
          );
          return r;
        };
        const exec = (...argv: string[]): void => {
          const r = up.host.exec(argv);
          assert.equal(r.status, 0, `${argv.join(' ')}: ${r.stderr}`);
        };
        const found = (r: Extract<LiveCheck, { ok: true }>) =>
          r.findings.map((f) => ({ code: f.code, severity: f.severity, uri: f.uri, line: f.range.start.line }));
        // (the diagnostics of a file that is not open come before the answer: the latest ones may be it already)
        const latestOr = async (uri: string, pred: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams> => {
          const now = client.diagnostics.get(uri);
          return now && pred(now) ? now : client.waitForDiagnostics(uri, pred);
        };
        const published = (uri: string, code: string) =>
          latestOr(uri, (p) => p.diagnostics.some((d) => d.code === code)).then((p) => p.diagnostics.filter((d) => d.code === code));
        const cleared = (uri: string) => latestOr(uri, (p) => !p.diagnostics.some((d) => String(d.code).startsWith('live/')));

        // the host as the files say: nothing to report
        const clean = await check('the running host as applied');
        assert.deepEqual(found(clean), []);
        assert.equal(clean.where, 'ssh');
        assert.ok(
          clean.notes.some((n) => n.includes('xl')),
          'xl cannot say which guest runs here (no hypervisor), and the answer says so',
        );
        assert.ok((await up.pingAll()).every((p) => p.ok));

        // 1. dummy0 down
        exec('ip', 'link', 'set', 'dummy0', 'down');
        effects['dummy0 down'] = await up.pingAll();
        const down = await check('dummy0 down');
        assert.deepEqual(found(down), [{ code: 'live/gateway-interface-down', severity: 'warning', ...want.interfaces }]);
        const d1 = await published(want.interfaces.uri, 'live/gateway-interface-down');
        assert.equal(d1[0].range.start.line, want.interfaces.line);
        // the view lists it too
        const view = await client.request<HostView | null>('xen/hostView', { root: local.root });
        assert.deepEqual(
          view?.live?.findings.map((f) => f.code),
          ['live/gateway-interface-down'],
        );
        exec('ip', 'link', 'set', 'dummy0', 'up');
        assert.deepEqual(found(await check('dummy0 up again')), []);
        await cleared(want.interfaces.uri);

        // 2. g2's route removed (vif-route added it: ip route add 80.68.86.195 dev vif2.0 src 80.68.86.193)
        exec('ip', 'route', 'del', '80.68.86.195');
        effects['a route removed'] = await up.pingAll();
        const cut = await check("g2's route removed");
        assert.deepEqual(found(cut), [{ code: 'live/guest-route-missing', severity: 'error', ...want.g2 }]);
        assert.match(cut.findings[0].message, /vif2\.0/);
        const d2 = await published(want.g2.uri, 'live/guest-route-missing');
        assert.equal(d2[0].range.start.line, want.g2.line);
        exec('ip', 'route', 'add', '80.68.86.195', 'dev', 'vif2.0', 'src', '80.68.86.193');
        assert.deepEqual(found(await check('the route back')), []);
        await cleared(want.g2.uri);

        // 3. forwarding off (the sysctl file turns it on)
        exec('sysctl', '-q', '-w', 'net.ipv4.ip_forward=0');
        effects['forwarding off'] = await up.pingAll();
        const off = await check('forwarding off');
        assert.deepEqual(found(off), [{ code: 'live/forwarding-off', severity: 'error', ...want.sysctl }]);
        // (the sysctl file is not open, and has no language in the editor: its diagnostics are sent all the same)
        const d3 = await published(want.sysctl.uri, 'live/forwarding-off');
        assert.equal(d3[0].range.start.line, want.sysctl.line);
        exec('sysctl', '-q', '-w', 'net.ipv4.ip_forward=1');
        assert.deepEqual(found(await check('forwarding on again')), []);
        await cleared(want.sysctl.uri);
      },
    });
    for (const l of log) console.log(l);
    for (const [fault, pings] of Object.entries(effects)) {
      const failed = pings.filter((p) => !p.ok).map((p) => `${p.from} -/-> ${p.to}`);
      console.log(`# effect of ${fault}: ${failed.join(', ') || 'every ping passes'}`);
    }
    // severity follows the effect: the faults reported as errors break the network, the warning does not
    assert.deepEqual(
      effects['dummy0 down'].filter((p) => !p.ok),
      [],
      'dummy0 down: the guests still reach the gateway and upstream (a warning, not an error)',
    );
    assert.ok(
      effects['a route removed'].some((p) => !p.ok),
      'a removed route cuts the guest off',
    );
    assert.ok(
      effects['forwarding off'].some((p) => !p.ok),
      'forwarding off cuts the guests off from upstream',
    );
    assert.deepEqual(namespaces(), before, 'every namespace of the run is gone');
  },
);
