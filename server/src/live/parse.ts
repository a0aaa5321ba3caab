// Readers of what a running host prints: `ip -br addr`, `ip -br link`, `ip route`, `lsmod` (or
// /proc/modules), `sysctl net.ipv4.ip_forward`, `xl list` and `xl network-list`, each inside the
// sections of the live script's output (script.ts). The text comes from another machine and is not
// trusted: every reader is one linear pass over lines and words (no regular expression runs on the
// text), stops after a fixed number of lines and words, and never throws.
import { isIPv4, parseIPv4Cidr } from '../core/address';

/** The most lines read of one section, and the most characters of one line (the rest is dropped). */
export const MAX_SECTION_LINES = 20_000;
export const MAX_LINE_CHARS = 4096;
/** The most words read of one line (an interface with many addresses still has far fewer). */
export const MAX_WORDS = 256;
/** The most domains the script lists (script.ts stops there too). */
export const MAX_DOMAINS = 1000;

/** The lines of a text, each cut at MAX_LINE_CHARS, at most MAX_SECTION_LINES of them. */
export function linesOf(text: string, maxLines = MAX_SECTION_LINES): string[] {
  const out: string[] = [];
  let start = 0;
  while (start <= text.length && out.length < maxLines) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let line = text.slice(start, Math.min(end, start + MAX_LINE_CHARS));
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (end > start || end < text.length) out.push(line);
    start = end + 1;
  }
  return out;
}

/** The words of a line (split on spaces and tabs), at most `max`. */
export function wordsOf(line: string, max = MAX_WORDS): string[] {
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  while (i < n && out.length < max) {
    while (i < n && (line[i] === ' ' || line[i] === '\t')) i++;
    const s = i;
    while (i < n && line[i] !== ' ' && line[i] !== '\t') i++;
    if (i > s) out.push(line.slice(s, i));
  }
  return out;
}

/** `vif1.0@eth0` -> `vif1.0` (ip prints a veth's peer after `@`). */
function ifName(word: string): string {
  const at = word.indexOf('@');
  return at > 0 ? word.slice(0, at) : word;
}

export interface LiveAddress {
  address: string;
  prefix: number;
}

export interface LiveInterface {
  name: string;
  /** The operational state `ip` prints: UP, DOWN, UNKNOWN (a dummy that is up), LOWERLAYERDOWN… */
  state: string;
  /** Whether the interface is set up (the UP flag of `ip -br link`); undefined when that was not read. */
  adminUp?: boolean;
  /** The IPv4 addresses it holds. */
  addresses: LiveAddress[];
}

/** `ip -br addr`: NAME STATE ADDRESS/PREFIX… (IPv6 addresses are read past). */
export function parseBriefAddr(text: string): Map<string, LiveInterface> {
  const out = new Map<string, LiveInterface>();
  for (const line of linesOf(text)) {
    const w = wordsOf(line);
    if (w.length < 2) continue;
    const name = ifName(w[0]);
    const iface: LiveInterface = out.get(name) ?? { name, state: w[1], addresses: [] };
    for (const a of w.slice(2)) {
      const cidr = parseIPv4Cidr(a);
      if (cidr && cidr.prefix !== undefined) iface.addresses.push({ address: cidr.address, prefix: cidr.prefix });
    }
    out.set(name, iface);
  }
  return out;
}

/** `ip -br link`: NAME STATE MAC <FLAG,FLAG,…>; whether each interface has the UP flag. */
export function parseBriefLink(text: string): Map<string, { state: string; adminUp: boolean }> {
  const out = new Map<string, { state: string; adminUp: boolean }>();
  for (const line of linesOf(text)) {
    const w = wordsOf(line);
    if (w.length < 2) continue;
    const flags = w.find((x) => x.startsWith('<') && x.endsWith('>'));
    const adminUp = flags !== undefined && flags.slice(1, -1).split(',').includes('UP');
    out.set(ifName(w[0]), { state: w[1], adminUp });
  }
  return out;
}

export interface LiveRoute {
  /** `default`, an address (`80.68.86.194`, a host route) or a prefix (`80.68.86.192/29`). */
  dest: string;
  /** unicast unless ip printed another type first (unreachable, blackhole, prohibit, local…). */
  type: string;
  dev?: string;
  via?: string;
  src?: string;
  /** ip says `linkdown`: the route is there, its device has no carrier. */
  linkdown: boolean;
}

const ROUTE_TYPES = new Set(['unicast', 'unreachable', 'blackhole', 'prohibit', 'throw', 'local', 'broadcast', 'multicast', 'nat', 'anycast']);
const ROUTE_KEYS = new Set(['dev', 'via', 'src', 'proto', 'scope', 'metric', 'table', 'mtu', 'onlink', 'pref', 'expires', 'weight', 'realm', 'nexthop']);

/** `ip route`: one route per line, DEST then key value pairs. */
export function parseRoutes(text: string): LiveRoute[] {
  const out: LiveRoute[] = [];
  for (const line of linesOf(text)) {
    if (line.startsWith(' ') || line.startsWith('\t')) continue; // a nexthop of a multipath route
    const w = wordsOf(line);
    if (!w.length) continue;
    let i = 0;
    let type = 'unicast';
    if (ROUTE_TYPES.has(w[0]) && w.length > 1) type = w[i++];
    const route: LiveRoute = { dest: w[i++], type, linkdown: false };
    for (; i < w.length; i++) {
      const k = w[i];
      if (k === 'linkdown') route.linkdown = true;
      else if ((k === 'dev' || k === 'via' || k === 'src') && i + 1 < w.length) route[k] = w[++i];
      else if (ROUTE_KEYS.has(k) && i + 1 < w.length) i++;
    }
    out.push(route);
  }
  return out;
}

/** `lsmod` (a header line, then NAME SIZE USED [BY]) or /proc/modules (NAME SIZE USED BY STATE ADDR): the module names. */
export function parseModuleList(text: string): Set<string> {
  const out = new Set<string>();
  for (const line of linesOf(text)) {
    const w = wordsOf(line, 2);
    if (w.length < 2 || w[0] === 'Module') continue;
    if (!isNumber(w[1])) continue;
    out.add(w[0].replace(/-/g, '_'));
  }
  return out;
}

/** `sysctl KEY` (`KEY = VALUE`) or `sysctl -n KEY` (`VALUE`): the value, or undefined. */
export function parseSysctlValue(text: string, key: string): string | undefined {
  for (const line of linesOf(text, 64)) {
    const t = line.trim();
    if (t === '') continue;
    const eq = t.indexOf('=');
    if (eq < 0) return wordsOf(t, 2).length === 1 ? t : undefined;
    if (t.slice(0, eq).trim() === key) return t.slice(eq + 1).trim();
  }
  return undefined;
}

function isNumber(s: string): boolean {
  if (s.length === 0 || s.length > 12) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

export interface LiveDomain {
  name: string;
  id: number;
}

/** `xl list`: a header (Name ID Mem VCPUs State Time(s)), then one domain per line. */
export function parseXlList(text: string): LiveDomain[] {
  const out: LiveDomain[] = [];
  for (const line of linesOf(text, MAX_DOMAINS + 2)) {
    const w = wordsOf(line, 3);
    if (w.length < 2 || w[0] === 'Name' || !isNumber(w[1])) continue;
    out.push({ name: w[0], id: Number(w[1]) });
  }
  return out;
}

export interface LiveVif {
  /** The backend interface in dom0: vif<domid>.<idx>. */
  name: string;
  idx: number;
  mac?: string;
}

/**
 * `xl network-list DOMAIN`: a header (Idx BE Mac Addr. handle state evt-ch tx-/rx-ring-ref BE-path),
 * then one vif per line. The backend path ends in /backend/vif/<domid>/<idx>.
 */
export function parseXlNetworkList(text: string): LiveVif[] {
  const out: LiveVif[] = [];
  for (const line of linesOf(text, 1024)) {
    const w = wordsOf(line, 16);
    if (w.length < 3 || !isNumber(w[0])) continue;
    const path = w[w.length - 1];
    const parts = path.split('/');
    const domid = parts.length >= 3 && parts[parts.length - 3] === 'vif' && isNumber(parts[parts.length - 2]) ? parts[parts.length - 2] : undefined;
    if (domid === undefined || !isNumber(parts[parts.length - 1])) continue;
    const vif: LiveVif = { name: `vif${domid}.${parts[parts.length - 1]}`, idx: Number(w[0]) };
    if (w[2].length === 17 && w[2].split(':').length === 6) vif.mac = w[2].toLowerCase();
    out.push(vif);
  }
  return out;
}

/** Whether a route's destination is exactly one address (`80.68.86.194` or `80.68.86.194/32`). */
export function hostRouteAddress(dest: string): string | undefined {
  if (isIPv4(dest)) return dest;
  const c = parseIPv4Cidr(dest);
  return c && c.prefix === 32 ? c.address : undefined;
}
