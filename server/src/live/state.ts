// The live script's output (script.ts) read into one picture of the running host. Never throws:
// a section missing or failed becomes a note that says what could not be read.
import { LIVE_END, LIVE_HEAD } from './script';
import {
  linesOf,
  parseBriefAddr,
  parseBriefLink,
  parseModuleList,
  parseRoutes,
  parseSysctlValue,
  parseXlList,
  parseXlNetworkList,
  MAX_DOMAINS,
  type LiveInterface,
  type LiveRoute,
  type LiveVif,
} from './parse';

/** The most the script's output may be (the host's interfaces and routes are far less). */
export const MAX_LIVE_OUTPUT = 4 * 1024 * 1024;
/** The most lines of the whole output read (each section has its own cap too). */
const MAX_OUTPUT_LINES = 200_000;

export type XlState = { state: 'absent' } | { state: 'failed'; message: string } | { state: 'ok'; domains: { name: string; id: number; vifs: LiveVif[] }[] };

export interface LiveState {
  interfaces: Map<string, LiveInterface>;
  /** Whether `ip -br addr` was read (else nothing can be said of the interfaces). */
  interfacesRead: boolean;
  routes: LiveRoute[];
  routesRead: boolean;
  /** Loaded modules (lsmod, and dummy when /sys/module/dummy exists); undefined when neither could be read. */
  modules?: Set<string>;
  /** net.ipv4.ip_forward: true when 1; undefined when it could not be read. */
  forwarding?: boolean;
  xl: XlState;
  /** What could not be read, in words. */
  notes: string[];
}

interface Section {
  name: string;
  arg: string;
  lines: string[];
  status?: number;
}

/** The sections of the output; lines outside any section (a login banner) are skipped. */
export function sectionsOf(output: string): Section[] {
  const out: Section[] = [];
  let cur: Section | undefined;
  for (const line of linesOf(output, MAX_OUTPUT_LINES)) {
    if (line.startsWith(LIVE_HEAD)) {
      const words = line.slice(LIVE_HEAD.length).split(' ');
      cur = { name: words[0] ?? '', arg: words[1] ?? '', lines: [] };
      out.push(cur);
    } else if (line.startsWith(LIVE_END)) {
      if (cur) {
        const s = Number(line.slice(LIVE_END.length).trim());
        cur.status = Number.isInteger(s) ? s : -1;
      }
      cur = undefined;
    } else if (cur && cur.lines.length < 20_000) cur.lines.push(line);
  }
  return out;
}

function firstLine(lines: string[]): string {
  const l = lines.find((x) => x.trim() !== '') ?? '';
  return l.trim().slice(0, 200);
}

/** Reads the script's output. */
export function readLiveOutput(output: string): LiveState {
  const state: LiveState = { interfaces: new Map(), interfacesRead: false, routes: [], routesRead: false, xl: { state: 'absent' }, notes: [] };
  const sections = sectionsOf(output.length > MAX_LIVE_OUTPUT ? output.slice(0, MAX_LIVE_OUTPUT) : output);
  const get = (name: string): Section | undefined => sections.find((s) => s.name === name);
  const ok = (name: string, what: string): string | undefined => {
    const s = get(name);
    if (!s) {
      state.notes.push(`${what}: no answer (the output stopped before it)`);
      return undefined;
    }
    if (s.status !== 0) {
      state.notes.push(`${what} failed${s.status === undefined ? ' (cut off)' : ` (exit ${s.status})`}: ${firstLine(s.lines) || 'no message'}`);
      return undefined;
    }
    return s.lines.join('\n');
  };

  const addr = ok('addr', 'ip -br addr');
  if (addr !== undefined) {
    state.interfaces = parseBriefAddr(addr);
    state.interfacesRead = true;
    const link = ok('link', 'ip -br link');
    if (link !== undefined) {
      for (const [name, l] of parseBriefLink(link)) {
        const i = state.interfaces.get(name);
        if (i) i.adminUp = l.adminUp;
      }
    }
  }
  const route = ok('route', 'ip route');
  if (route !== undefined) {
    state.routes = parseRoutes(route);
    state.routesRead = true;
  }
  const mods = get('lsmod');
  const sys = get('sys-module');
  if (mods?.status === 0 || sys?.status === 0) {
    state.modules = mods?.status === 0 ? parseModuleList(mods.lines.join('\n')) : new Set();
    if (sys?.lines.some((l) => l.trim() === 'dummy')) state.modules.add('dummy');
    if (mods && mods.status !== 0) state.notes.push(`lsmod: ${firstLine(mods.lines) || 'failed'} (only /sys/module was read)`);
  } else ok('lsmod', 'lsmod');
  const sysctl = ok('sysctl', 'sysctl net.ipv4.ip_forward');
  if (sysctl !== undefined) {
    const v = parseSysctlValue(sysctl, 'net.ipv4.ip_forward');
    if (v === '0' || v === '1') state.forwarding = v === '1';
    else state.notes.push(`sysctl net.ipv4.ip_forward: an answer that is not 0 or 1 (${JSON.stringify((v ?? '').slice(0, 40))})`);
  }

  if (get('xl-absent')) {
    state.xl = { state: 'absent' };
    state.notes.push('xl is not installed on the host: which guest runs on which vif is not known');
  } else {
    const list = get('xl-list');
    if (!list) state.xl = { state: 'failed', message: 'xl list: no answer' };
    else if (list.status !== 0)
      state.xl = { state: 'failed', message: `xl list failed (exit ${list.status ?? 'cut off'}): ${firstLine(list.lines) || 'no message'}` };
    else {
      const domains = parseXlList(list.lines.join('\n'))
        .filter((d) => d.id !== 0)
        .slice(0, MAX_DOMAINS)
        .map((d) => ({ ...d, vifs: [] as LiveVif[] }));
      for (const s of sections) {
        if (s.name !== 'xl-network-list') continue;
        const d = domains.find((x) => String(x.id) === s.arg);
        if (!d) continue;
        if (s.status !== 0) state.notes.push(`xl network-list ${d.name} failed: ${firstLine(s.lines) || 'no message'}`);
        else d.vifs = parseXlNetworkList(s.lines.join('\n'));
      }
      state.xl = { state: 'ok', domains };
    }
    if (state.xl.state === 'failed') state.notes.push(`${state.xl.message}: which guest runs on which vif is not known`);
  }
  return state;
}
