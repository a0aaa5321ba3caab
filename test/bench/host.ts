// The host benchmark of issue 3, over LSP: a generated host (etc/network/interfaces, a routed
// xend-config.sxp, etc/modules and 1,000 domain files) in a temporary directory, the real server
// spawned on stdio (test/support/lsp-client.ts), and three figures:
//   - first open: one domain file opened alone, to its first publish and to its last (the host's
//     files are read after its own diagnostics are published);
//   - cold: every file opened at once, time until each has had its first publishDiagnostics;
//   - edits: 30 changes to one domain file, its ip= alternating between a free address and another
//     guest's; per edit, the time from didChange to the publish of the edited file and of the
//     guest it conflicts with (or stops conflicting with);
//   - memory: the server process's VmRSS at the end.
// The server's debounce (xen.validation.delay, 200 ms by default) is set to 0 through the
// client's configuration, so that the figures are of the work and not of the wait.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { TestClient } from '../support/lsp-client';

export const HOST_GUESTS = 1000;
export const HOST_EDITS = 30;
export const HOST_TARGETS = { coldMs: 1000, editP95Ms: 50, rssMB: 150 };

/** A routed block of 80.68.0.0 just big enough for `guests` guests, the gateway and a free address. */
interface Block {
  base: number;
  prefix: number;
  netmask: string;
  broadcast: string;
  gateway: string;
}

function blockFor(guests: number): Block {
  let bits = 2;
  while (2 ** bits < guests + 4) bits++;
  const base = (80 << 24) | (68 << 16);
  const prefix = 32 - bits;
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  return { base, prefix, netmask: dotted(mask), broadcast: dotted((base + 2 ** bits - 1) >>> 0), gateway: dotted((base + 1) >>> 0) };
}

/** The block of the LSP host bench: 80.68.0.0/22 (1,022 addresses, 80.68.0.1 the gateway on dummy0). */
const BLOCK = blockFor(HOST_GUESTS);

function dotted(v: number): string {
  return [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
}

/** Guest i (0-based) gets the block's address 2 + i. */
function guestIp(i: number, block = BLOCK): string {
  return dotted((block.base + 2 + i) >>> 0);
}

/** An address of the block that no guest has (the block's second last). */
const FREE_IP = dotted((BLOCK.base + 2 ** (32 - BLOCK.prefix) - 2) >>> 0);

function guestMac(i: number): string {
  const h = (n: number) => (n & 255).toString(16).padStart(2, '0');
  return `00:16:3e:${h(i >> 16)}:${h(i >> 8)}:${h(i)}`;
}

function domainText(i: number, ip = guestIp(i)): string {
  return [
    `# guest ${i + 1} of the benchmark host`,
    `name = 'vm${i + 1}'`,
    'memory = 256',
    'vcpus = 1',
    "kernel = '/boot/vmlinuz-6.1.0-amd64'",
    "ramdisk = '/boot/initrd.img-6.1.0-amd64'",
    `disk = [ 'phy:/dev/vg0/vm${i + 1}-disk,xvda1,w' ]`,
    `vif = [ 'ip=${ip},mac=${guestMac(i)}' ]`,
    "root = '/dev/xvda1 ro'",
    '',
  ].join('\n');
}

function interfacesText(block: Block): string {
  return [
    '# /etc/network/interfaces of the benchmark host',
    'auto lo',
    'iface lo inet loopback',
    '',
    'auto eth0',
    'iface eth0 inet static',
    '    address 192.0.2.10',
    '    netmask 255.255.255.0',
    '    gateway 192.0.2.1',
    '',
    '# the routed block: the guests use the host side of dummy0 as their gateway',
    'auto dummy0',
    'iface dummy0 inet static',
    `    address ${block.gateway}`,
    `    netmask ${block.netmask}`,
    `    broadcast ${block.broadcast}`,
    '',
  ].join('\n');
}

const INTERFACES = interfacesText(BLOCK);

const XEND = ['# xend in routed mode', '(network-script network-route)', "(vif-script 'vif-route netdev=dummy0')", ''].join('\n');
const MODULES = ['# /etc/modules', 'dummy', ''].join('\n');

/**
 * Writes a host of `guests` domain files under root (root/etc/network/interfaces, a routed
 * xend-config.sxp, etc/modules, etc/xen/vmN.cfg), its routed block sized to hold them all.
 * Returns the domain files' uris and texts.
 */
export function writeHost(root: string, guests: number): { uri: string; text: string }[] {
  const block = blockFor(guests);
  mkdirSync(join(root, 'etc', 'network'), { recursive: true });
  mkdirSync(join(root, 'etc', 'xen'), { recursive: true });
  writeFileSync(join(root, 'etc', 'network', 'interfaces'), interfacesText(block));
  writeFileSync(join(root, 'etc', 'xen', 'xend-config.sxp'), XEND);
  writeFileSync(join(root, 'etc', 'modules'), MODULES);
  const domains: { uri: string; text: string }[] = [];
  for (let i = 0; i < guests; i++) {
    const path = join(root, 'etc', 'xen', `vm${i + 1}.cfg`);
    const text = domainText(i, guestIp(i, block));
    writeFileSync(path, text);
    domains.push({ uri: pathToFileURL(path).href, text });
  }
  return domains;
}

export interface HostBenchResult {
  guests: number;
  /** The server's xen.validation.delay in this run (undefined: the server's default). */
  delayMs: number | undefined;
  /** The first file opened alone (the host read from disk), didOpen to its first publish. */
  firstOpenMs: number;
  /** The same open, didOpen to its last publish (a large host read in slices: the one with the host's diagnostics). */
  firstOpenHostMs: number;
  /** The publishes of that file before the next phase (2: its own diagnostics first, then with its host's). */
  firstOpenPublishes: number;
  /** A file closed and opened again after the edits, didOpen to its first publish. */
  reopenMs: number;
  coldMs: number;
  /** Per edit: ms to the edited file's publish, to the other guest's, to both. */
  editedMs: number[];
  otherMs: number[];
  bothMs: number[];
  rssMB: number;
  /** Diagnostics of the edited file after the conflicting edit (codes), a sanity check. */
  conflictCodes: string;
  /** Publishes in all by the time the cold phase has settled (1,001 would be one per file). */
  coldPublishes: number;
  /** Time until the cold phase's re-checks stopped (no publish for 500 ms), that wait excluded. */
  settleMs: number;
  error?: string;
}

function rssOf(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : NaN;
  } catch {
    return NaN;
  }
}

export function percentile(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

/**
 * The host bench over LSP. delay: the server's debounce (xen.validation.delay); 'default' leaves
 * it unset, the server's default, as a user has it.
 */
export async function runHostBench(delay: number | 'default' = 0): Promise<HostBenchResult> {
  // (not a default parameter value of undefined: JavaScript would turn undefined into 0)
  const delayMs = delay === 'default' ? undefined : delay;
  const dir = mkdtempSync(join(tmpdir(), 'xen-bench-host-'));
  const res: HostBenchResult = {
    guests: HOST_GUESTS,
    delayMs,
    firstOpenMs: NaN,
    firstOpenHostMs: NaN,
    firstOpenPublishes: 0,
    reopenMs: NaN,
    coldMs: NaN,
    editedMs: [],
    otherMs: [],
    bothMs: [],
    rssMB: NaN,
    conflictCodes: '',
    coldPublishes: 0,
    settleMs: NaN,
  };
  let client: TestClient | undefined;
  try {
    const domains = writeHost(dir, HOST_GUESTS);
    const interfacesUri = pathToFileURL(join(dir, 'etc', 'network', 'interfaces')).href;

    // (the server counts its parses, for the publish that holds the host's diagnostics)
    client = await TestClient.start({
      configuration: delayMs === undefined ? {} : { validation: { delay: delayMs } },
      env: { XEN_LS_TEST_COUNTERS: '1' },
    });

    // First open: one domain file alone (its host read from disk), to its first publish.
    const last = domains[domains.length - 1];
    {
      const w = client.waitForDiagnostics(last.uri, () => true, 60_000);
      const t = performance.now();
      await client.open(last.uri, 'xen-domain', last.text);
      await w;
      res.firstOpenMs = performance.now() - t;
      // (a large host's files are read after the first publish: the publish made once all were
      // parsed, as the server counts them, holds the host's diagnostics)
      const files = HOST_GUESTS + 3;
      for (const end = performance.now() + 60_000; ;) {
        const c = await client.request<{ parsesAtPublish?: number[] }>('xen/test/counters', { uri: last.uri });
        const k = (c.parsesAtPublish ?? []).findIndex((n) => n >= files);
        // (the publish itself may still be on its way when the server's answer is read)
        const at = client.publishTimes.get(last.uri)?.[k];
        if (k >= 0 && at !== undefined) {
          res.firstOpenHostMs = at - t;
          res.firstOpenPublishes = k + 1;
          break;
        }
        if (performance.now() > end) throw new Error(`no publish of ${last.uri} after its host's ${files} files were parsed`);
        await new Promise((r) => setTimeout(r, 10));
      }
    }
    await quiet(client, 300, 10_000);

    // Cold: open everything, wait for the first publish of each.
    const opened = [
      { uri: interfacesUri, languageId: 'debian-interfaces', text: INTERFACES },
      ...domains.slice(0, -1).map((d) => ({ ...d, languageId: 'xen-domain' })),
    ];
    const firsts = opened.map((o) => client!.waitForDiagnostics(o.uri, () => true, 60_000));
    const t0 = performance.now();
    for (const o of opened) await client.open(o.uri, o.languageId, o.text);
    await Promise.all(firsts);
    res.coldMs = performance.now() - t0;
    // Let the fan-out of the cold phase settle before the edits (re-checks of the other files).
    res.settleMs = (await quiet(client, 500, 30_000)) - t0;
    res.coldPublishes = [...client.publishCount.values()].reduce((a, b) => a + b, 0);

    // Edits: vm1's ip= alternates between a free address and vm2's.
    const edited = domains[0];
    const other = domains[1];
    const dup = (p: PublishDiagnosticsParams) => p.diagnostics.some((d) => d.code === 'host/duplicate-guest-ip');
    for (let k = 0; k < HOST_EDITS; k++) {
      const conflict = k % 2 === 0;
      const text = domainText(0, conflict ? guestIp(1) : FREE_IP);
      let tEdited = NaN;
      let tOther = NaN;
      const start = performance.now();
      const wEdited = client
        .waitForDiagnostics(edited.uri, (p) => dup(p) === conflict && p.version === k + 2, 10_000)
        .then(() => (tEdited = performance.now() - start));
      const wOther = client.waitForDiagnostics(other.uri, (p) => dup(p) === conflict, 10_000).then(() => (tOther = performance.now() - start));
      await client.change(edited.uri, text);
      await Promise.all([wEdited, wOther]);
      res.editedMs.push(tEdited);
      res.otherMs.push(tOther);
      res.bothMs.push(Math.max(tEdited, tOther));
      if (conflict && !res.conflictCodes) {
        const codes = new Map<string, number>();
        for (const d of client.diagnostics.get(edited.uri)?.diagnostics ?? []) codes.set(String(d.code), (codes.get(String(d.code)) ?? 0) + 1);
        res.conflictCodes = [...codes].map(([c, n]) => `${c} ${n}`).join('; ');
      }
      // Let the re-checks of the host's other files that this edit causes finish before the next.
      await quiet(client, 100, 10_000);
    }
    // Re-open: a file of the host, closed and opened again, to its first publish.
    {
      const again = domains[domains.length >> 1];
      await client.close(again.uri);
      await quiet(client, 300, 10_000);
      const w = client.waitForDiagnostics(again.uri, () => true, 10_000);
      const t = performance.now();
      await client.open(again.uri, 'xen-domain', again.text);
      await w;
      res.reopenMs = performance.now() - t;
    }
    res.rssMB = rssOf(client.proc.pid);
  } catch (e) {
    res.error = e instanceof Error ? e.message.slice(0, 300) : String(e);
    if (client) res.rssMB = rssOf(client.proc.pid);
  } finally {
    if (client) await client.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return res;
}

/**
 * Resolves when no diagnostics have been published for `ms` (or after `maxMs` in all), with the
 * time (performance.now()) of the last publish seen.
 */
async function quiet(client: TestClient, ms: number, maxMs: number): Promise<number> {
  const total = () => [...client.publishCount.values()].reduce((a, b) => a + b, 0);
  const end = performance.now() + maxMs;
  let last = total();
  let lastAt = performance.now();
  while (performance.now() < end) {
    await new Promise((r) => setTimeout(r, 20));
    const now = total();
    if (now !== last) {
      last = now;
      lastAt = performance.now();
    } else if (performance.now() - lastAt >= ms) break;
  }
  return lastAt;
}

/** Fresh servers for the first-open figure (one sample each: a server's first open happens once). */
export const FIRST_OPEN_SERVERS = 5;

/**
 * The first open, on `servers` fresh servers one after the other (the same host on disk, the
 * server's default debounce): per server, a different domain file opened alone, didOpen to its
 * first publish. A first open is one sample per server, so the figure is their spread.
 */
export async function runFirstOpens(servers = FIRST_OPEN_SERVERS): Promise<{ ms: number[]; error?: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'xen-bench-first-open-'));
  const ms: number[] = [];
  try {
    const domains = writeHost(dir, HOST_GUESTS);
    for (let k = 0; k < servers; k++) {
      const client = await TestClient.start({ configuration: {} });
      try {
        // (the server has started: what is timed is the open, as in the host bench)
        const doc = domains[domains.length - 1 - k];
        const w = client.waitForDiagnostics(doc.uri, () => true, 60_000);
        const t = performance.now();
        await client.open(doc.uri, 'xen-domain', doc.text);
        await w;
        ms.push(performance.now() - t);
      } finally {
        await client.stop();
      }
    }
    return { ms };
  } catch (e) {
    return { ms, error: e instanceof Error ? e.message.slice(0, 300) : String(e) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
