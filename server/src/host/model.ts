// The host as a whole: the files of one Xen host (interfaces, xend-config.sxp or xl.conf,
// /etc/modules, the domain files) read together into one picture — which block of addresses is
// routed to the host and where that was learnt, the guests' gateway, the networking mode, the
// guests and their vifs, and an index from each IPv4 address to the places that use it.
// Pure: no editor, no file system; the caller hands over the texts.
import { LineIndex, type Span } from '../core/text';
import { DEFAULT_GATEWAY_INTERFACE, readRoutedSubnet } from '../core/network';
import { intToIPv4, ipv4Subnet, ipv4ToInt, isIPv4, isMac, netmaskToPrefix, parseIPv4Cidr, type IPv4Subnet } from '../core/address';
import { parseInterfaces } from '../formats/interfaces/parser';
import type { IfaceStanza, InterfacesAst, OptionNode, Word } from '../formats/interfaces/ast';
import { parseSxp } from '../formats/sxp/parser';
import { settingsMap, splitScript } from '../formats/sxp/settings';
import type { ScriptCall, SxpFile } from '../formats/sxp/ast';
import { parseDomainFile } from '../formats';
import { lastAssignment, type DomainFile, type StringValue } from '../formats/domain/ast';
import { vifSpecs, type VifItem } from '../formats/domain/vif';
import { parseModules, type ModulesFile } from '../formats/modules/parser';
import { classifyPath, type HostRole } from './table';
import { forwardingOf, parseSysctl, type SysctlFile } from '../formats/sysctl/service';

// ---------------------------------------------------------------------------------------------
// Input and file roles

/** One already-read file of the host. */
export interface HostFile {
  uri: string;
  languageId: string;
  text: string;
}

export type { HostRole };
export { classifyPath };

export interface BuildOptions {
  /** `xen.network.routedSubnet`, e.g. `80.68.86.192/29`. Wins over what the files say. */
  routedSubnet?: string;
  /** `xen.network.gatewayInterface`: the interface holding the guests' gateway (default dummy0). */
  gatewayInterface?: string;
}

// ---------------------------------------------------------------------------------------------
// Parsed files

interface ParsedBase {
  uri: string;
  text: string;
  lines: LineIndex;
}
export type ParsedHostFile =
  | (ParsedBase & { role: 'interfaces'; ast: InterfacesAst })
  | (ParsedBase & { role: 'xend-config'; ast: SxpFile })
  | (ParsedBase & { role: 'xl-conf'; ast: DomainFile })
  | (ParsedBase & { role: 'modules'; ast: ModulesFile })
  | (ParsedBase & { role: 'domain'; ast: DomainFile })
  | (ParsedBase & { role: 'sysctl'; ast: SysctlFile });

/**
 * Parses one file for the host model (the server may keep the result and hand it back to
 * buildHostFromParsed, so that an edit re-parses only the edited file). Never throws.
 */
export function parseHostFile(file: HostFile): ParsedHostFile | undefined {
  const role = classifyPath(file.uri, file.languageId) ?? undefined;
  if (!role) return undefined;
  const text = typeof file.text === 'string' ? file.text : '';
  const base = { uri: file.uri, text, lines: new LineIndex(text) };
  try {
    switch (role) {
      case 'interfaces':
        return { ...base, role, ast: parseInterfaces(text) };
      case 'xend-config':
        return { ...base, role, ast: parseSxp(text) };
      case 'modules':
        return { ...base, role, ast: parseModules(text, /modules-load\.d/.test(file.uri) ? 'modules-load.d' : 'etc-modules') };
      case 'xl-conf':
        return { ...base, role, ast: parseDomainFile(text) };
      case 'domain':
        return { ...base, role, ast: parseDomainFile(text) };
      case 'sysctl':
        return { ...base, role, ast: parseSysctl(text) };
    }
  } catch {
    return undefined;
  }
}

/**
 * A host file from a parse made elsewhere (the host index's one parse of the text, by the
 * format's service): no second parse. The caller vouches that ast is the role's format's tree.
 */
export function hostFileOf(uri: string, role: Exclude<HostRole, 'sysctl'>, doc: { text: string; lines: LineIndex; ast: unknown }): ParsedHostFile {
  return { uri, text: doc.text, lines: doc.lines, role, ast: doc.ast } as ParsedHostFile;
}

// ---------------------------------------------------------------------------------------------
// The model

export interface Place {
  uri: string;
  span: Span;
}

export type SubnetSource =
  | { kind: 'setting'; text: string }
  | { kind: 'gateway-stanza'; interface: string; uri: string; span: Span }
  | { kind: 'static-stanza'; interface: string; uri: string; span: Span };

export interface RoutedSubnet extends IPv4Subnet {
  /** `80.68.86.192/29`. */
  cidr: string;
  source: SubnetSource;
}

export interface Gateway {
  address: string;
  interface: string;
  /** The address word in interfaces. */
  place: Place;
}

export type Mode = 'routed' | 'bridged' | 'nat' | 'unknown';

export interface ModeInfo {
  mode: Mode;
  /** Where the mode was read: xend's vif-script or network-script, xl.conf, the guests' vif scripts. */
  source: 'xend' | 'xl-conf' | 'domain-vifs' | 'none';
  toolstack: 'xend' | 'xl' | 'unknown';
}

/** One `iface NAME inet ...` stanza's IPv4 facts (ifupdown's reading: netmask overrides /nn). */
export interface IfaceInfo {
  uri: string;
  stanza: IfaceStanza;
  name: string;
  method: string;
  address?: { text: string; word: Word; prefixFromSlash?: number };
  netmask?: { text: string; word: Word; prefix?: number };
  broadcast?: { text: string; word: Word };
  gateway?: { text: string; word: Word };
  /** `pointopoint PEER [more words]`: the peer (ifupdown runs `ip addr add … peer PEER`). */
  pointopoint?: { text: string; word: Word };
  /** The prefix ifupdown uses: the netmask's when given and contiguous, else the /nn. */
  prefix?: number;
  subnet?: IPv4Subnet;
}

export interface VifAddress {
  address: string;
  span: Span;
}

export interface GuestVif {
  index: number;
  /** The vif string (quotes included). */
  span: Span;
  /** Where an `ip=` item would be inserted (the start of the string's content). */
  contentSpan: Span;
  ipItem?: VifItem;
  ips: VifAddress[];
  mac?: VifItem;
  bridge?: VifItem;
  script?: VifItem;
  gatewaydev?: VifItem;
  /** The mode this vif runs in: its own script=, else the host's. */
  mode: Mode;
}

export interface Guest {
  uri: string;
  name?: { text: string; span: Span };
  vifs: GuestVif[];
  /** xm's kernel-command-line settings, when given as strings. */
  top: { ip?: VifAddress; gateway?: VifAddress; netmask?: VifAddress };
  /**
   * Where the file writes addresses, whatever they hold now (empty, half typed): each vif `ip=`
   * item's value and the content of xm's top-level `ip` string. Completion offers free addresses there.
   */
  ipSlots: Span[];
}

export type AddressRole = 'interface-address' | 'interface-gateway' | 'interface-broadcast' | 'guest-vif' | 'guest-ip' | 'guest-gateway';

export interface AddressUse {
  uri: string;
  span: Span;
  role: AddressRole;
}

export interface HostModel {
  files: Map<string, ParsedHostFile>;
  gatewayInterface: string;
  subnet?: RoutedSubnet;
  /** Why the setting was not used, when it was given but unreadable. */
  settingProblem?: string;
  gateway?: Gateway;
  mode: ModeInfo;
  interfaces: IfaceInfo[];
  xend?: {
    uri: string;
    networkScript?: ScriptCall;
    vifScript?: ScriptCall;
    /** The whole value of each setting (for a fix that rewrites it). */
    networkScriptSpan?: Span;
    vifScriptSpan?: Span;
  };
  xlConf?: {
    uri: string;
    script?: { text: string; span: Span };
    gatewaydev?: { text: string; span: Span };
  };
  modules: { uri: string; names: Set<string> }[];
  /** net.ipv4.ip_forward as the sysctl files set it (the last one read wins); undefined when none does. */
  forwarding?: { on: boolean; place: Place };
  guests: Guest[];
  /** IPv4 address (dotted) → every place that uses it, in file order. */
  addresses: Map<string, AddressUse[]>;
}

const SCRIPT_MODE: Record<string, Mode> = {
  'network-route': 'routed',
  'vif-route': 'routed',
  'network-bridge': 'bridged',
  'vif-bridge': 'bridged',
  'vif-openvswitch': 'bridged',
  'network-nat': 'nat',
  'vif-nat': 'nat',
};

/** The networking mode a Xen script name belongs to (`/etc/xen/scripts/vif-route` too). */
export function scriptMode(name: string | undefined): Mode {
  if (!name) return 'unknown';
  const base = name.trim().split(/\s+/)[0].replace(/^.*\//, '');
  return SCRIPT_MODE[base] ?? 'unknown';
}

function option(st: IfaceStanza, name: string): OptionNode | undefined {
  let found: OptionNode | undefined;
  for (const o of st.options) if (o.name.text === name && o.values.length) found ??= o;
  return found;
}

function readIface(uri: string, st: IfaceStanza): IfaceInfo | undefined {
  if (!st.name || st.family?.text !== 'inet') return undefined;
  const info: IfaceInfo = { uri, stanza: st, name: st.name.text, method: st.method?.text ?? '' };
  const a = option(st, 'address');
  if (a) {
    const cidr = parseIPv4Cidr(a.values[0].text);
    if (cidr) info.address = { text: cidr.address, word: a.values[0], prefixFromSlash: cidr.prefix };
  }
  const m = option(st, 'netmask');
  if (m) {
    const w = m.values[0];
    if (isIPv4(w.text)) info.netmask = { text: w.text, word: w, prefix: netmaskToPrefix(w.text) };
    else if (/^\d{1,2}$/.test(w.text) && Number(w.text) <= 32) info.netmask = { text: w.text, word: w, prefix: Number(w.text) };
  }
  const b = option(st, 'broadcast');
  if (b && isIPv4(b.values[0].text)) info.broadcast = { text: b.values[0].text, word: b.values[0] };
  const g = option(st, 'gateway');
  if (g && isIPv4(g.values[0].text)) info.gateway = { text: g.values[0].text, word: g.values[0] };
  // `pointopoint G` and `pointopoint G dev eth0` both work: ifupdown passes the words on to ip(8)
  const p = option(st, 'pointopoint');
  if (p && isIPv4(p.values[0].text)) info.pointopoint = { text: p.values[0].text, word: p.values[0] };
  if (info.netmask) info.prefix = info.netmask.prefix;
  else info.prefix = info.address?.prefixFromSlash;
  if (info.address && info.prefix !== undefined) info.subnet = ipv4Subnet(info.address.text, info.prefix);
  return info;
}

function stringValue(file: DomainFile, key: string): { text: string; span: Span; node: StringValue } | undefined {
  const a = lastAssignment(file, key);
  if (!a || a.value?.kind !== 'string') return undefined;
  return { text: a.value.value, span: a.value.contentSpan, node: a.value };
}

/** Addresses of an `ip=` value (space-separated under xl), each with its span; IPv4 only. */
function ipsOf(item: VifItem): VifAddress[] {
  const out: VifAddress[] = [];
  if (item.value === undefined || !item.valueSpan) return out;
  const re = /\S+/g;
  let m: RegExpExecArray | null;
  const escaped = item.valueSpan.end - item.valueSpan.start !== item.value.length;
  while ((m = re.exec(item.value))) {
    const text = m[0];
    const cidr = parseIPv4Cidr(text);
    if (!cidr) continue;
    const span = escaped ? item.valueSpan : { start: item.valueSpan.start + m.index, end: item.valueSpan.start + m.index + cidr.address.length };
    out.push({ address: cidr.address, span });
  }
  return out;
}

function readGuest(uri: string, file: DomainFile, hostMode: Mode): Guest {
  const guest: Guest = { uri, vifs: [], top: {}, ipSlots: [] };
  const name = stringValue(file, 'name');
  if (name && name.text) guest.name = { text: name.text, span: name.span };
  for (const spec of vifSpecs(file)) {
    const vif: GuestVif = { index: spec.index, span: spec.string.span, contentSpan: spec.string.contentSpan, ips: [], mode: hostMode };
    for (const it of spec.items) {
      switch (it.key) {
        case 'ip':
          vif.ipItem ??= it;
          vif.ips.push(...ipsOf(it));
          if (it.valueSpan) guest.ipSlots.push(it.valueSpan);
          break;
        case 'mac':
          vif.mac ??= it;
          break;
        case 'bridge':
          vif.bridge ??= it;
          break;
        case 'script':
          vif.script ??= it;
          break;
        case 'gatewaydev':
          vif.gatewaydev ??= it;
          break;
      }
    }
    if (vif.script?.value) {
      const m = scriptMode(vif.script.value);
      vif.mode = m === 'unknown' ? 'unknown' : m;
    }
    guest.vifs.push(vif);
  }
  const topIp = lastAssignment(file, 'ip');
  if (topIp?.value?.kind === 'string') guest.ipSlots.push(topIp.value.contentSpan);
  for (const key of ['ip', 'gateway', 'netmask'] as const) {
    const v = stringValue(file, key);
    if (v && isIPv4(v.text.trim())) {
      const lead = v.text.length - v.text.trimStart().length;
      const span = v.node.offsets ? v.span : { start: v.span.start + lead, end: v.span.start + lead + v.text.trim().length };
      guest.top[key] = { address: v.text.trim(), span };
    }
  }
  return guest;
}

function subnetOfSetting(text: string): { subnet?: IPv4Subnet; problem?: string } {
  const r = readRoutedSubnet(text);
  return 'subnet' in r ? { subnet: r.subnet } : { problem: r.problem };
}

/** True when `address` (dotted) lies in `subnet`. */
export function inSubnet(subnet: IPv4Subnet, address: string): boolean {
  if (!isIPv4(address)) return false;
  const a = ipv4ToInt(address);
  return a >= ipv4ToInt(subnet.network) && a <= ipv4ToInt(subnet.broadcast);
}

/** Reads the host from its files. Never throws; files it cannot classify are ignored. */
export function buildHost(files: HostFile[], options: BuildOptions = {}): HostModel {
  const parsed: ParsedHostFile[] = [];
  for (const f of files) {
    const p = parseHostFile(f);
    if (p) parsed.push(p);
  }
  return buildHostFromParsed(parsed, options);
}

/** The same from files parsed beforehand with parseHostFile (kept by the caller between edits). */
/**
 * Guests read before, per domain file's syntax tree and the host's mode: a host rebuilt after an
 * edit to one file reads that file's guest again and reuses the others'. Only for hosts whose mode
 * does not come from the guests themselves (the caller checks; see host/index.ts).
 */
export type GuestCache = WeakMap<DomainFile, { mode: Mode; guest: Guest }>;

export function buildHostFromParsed(parsed: ParsedHostFile[], options: BuildOptions = {}, guestCache?: GuestCache): HostModel {
  const gatewayInterface = options.gatewayInterface?.trim() || DEFAULT_GATEWAY_INTERFACE;
  const model: HostModel = {
    files: new Map(),
    gatewayInterface,
    mode: { mode: 'unknown', source: 'none', toolstack: 'unknown' },
    interfaces: [],
    modules: [],
    guests: [],
    addresses: new Map(),
  };
  const domains: ParsedHostFile[] = [];
  for (const p of parsed) {
    model.files.set(p.uri, p);
    switch (p.role) {
      case 'interfaces':
        for (const st of p.ast.stanzas) {
          if (st.kind !== 'iface') continue;
          const info = readIface(p.uri, st);
          if (info) model.interfaces.push(info);
        }
        break;
      case 'xend-config': {
        if (model.xend) break;
        const map = settingsMap(p.ast);
        const ns = map.get('network-script');
        const vs = map.get('vif-script');
        model.xend = {
          uri: p.uri,
          networkScript: splitScript(ns?.value),
          vifScript: splitScript(vs?.value),
          networkScriptSpan: ns?.value?.span,
          vifScriptSpan: vs?.value?.span,
        };
        break;
      }
      case 'xl-conf': {
        if (model.xlConf) break;
        const script = stringValue(p.ast, 'vif.default.script') ?? stringValue(p.ast, 'vifscript');
        const gw = stringValue(p.ast, 'vif.default.gatewaydev');
        model.xlConf = { uri: p.uri };
        if (script) model.xlConf.script = { text: script.text, span: script.span };
        if (gw) model.xlConf.gatewaydev = { text: gw.text, span: gw.span };
        break;
      }
      case 'modules':
        model.modules.push({ uri: p.uri, names: new Set(p.ast.modules.map((m) => m.name.replace(/-/g, '_'))) });
        break;
      case 'domain':
        domains.push(p);
        break;
      case 'sysctl': {
        const f = forwardingOf(p.ast);
        if (f) model.forwarding = { on: f.on, place: { uri: p.uri, span: f.span } };
        break;
      }
    }
  }

  // The mode: xend's scripts (vif-script first: it decides what each guest's interface does),
  // else xl.conf's default vif script, else what the guests' vifs name.
  if (model.xend) {
    const v = scriptMode(model.xend.vifScript?.name);
    const n = scriptMode(model.xend.networkScript?.name);
    const mode = v !== 'unknown' ? v : n;
    model.mode = { mode, source: mode === 'unknown' ? 'none' : 'xend', toolstack: 'xend' };
  } else if (model.xlConf?.script) {
    const mode = scriptMode(model.xlConf.script.text);
    model.mode = { mode, source: mode === 'unknown' ? 'none' : 'xl-conf', toolstack: 'xl' };
  } else if (model.xlConf) {
    model.mode = { mode: 'unknown', source: 'none', toolstack: 'xl' };
  }
  for (const p of domains) {
    if (p.role !== 'domain') continue;
    const hit = guestCache?.get(p.ast);
    if (hit && hit.mode === model.mode.mode && hit.guest.uri === p.uri) model.guests.push(hit.guest);
    else {
      const guest = readGuest(p.uri, p.ast, model.mode.mode);
      guestCache?.set(p.ast, { mode: model.mode.mode, guest });
      model.guests.push(guest);
    }
  }
  if (model.mode.mode === 'unknown') {
    // under xl (or with no toolstack file): the guests' own vif scripts, the most common one
    const count = new Map<Mode, number>();
    for (const g of model.guests)
      for (const v of g.vifs)
        if (v.script?.value) {
          const m = scriptMode(v.script.value);
          if (m !== 'unknown') count.set(m, (count.get(m) ?? 0) + 1);
        }
    const best = [...count].sort((a, b) => b[1] - a[1])[0];
    if (best) {
      model.mode = { mode: best[0], source: 'domain-vifs', toolstack: model.xlConf ? 'xl' : 'unknown' };
      for (const g of model.guests) for (const v of g.vifs) if (!v.script?.value) v.mode = best[0];
    }
  }

  // The routed subnet and the gateway.
  const gwIface = model.interfaces.find((i) => i.name === gatewayInterface && i.address);
  if (options.routedSubnet !== undefined && options.routedSubnet.trim() !== '') {
    const s = subnetOfSetting(options.routedSubnet);
    if (s.subnet)
      model.subnet = { ...s.subnet, cidr: `${s.subnet.network}/${s.subnet.prefix}`, source: { kind: 'setting', text: options.routedSubnet.trim() } };
    else model.settingProblem = s.problem;
  }
  if (!model.subnet && gwIface?.subnet) {
    model.subnet = {
      ...gwIface.subnet,
      cidr: `${gwIface.subnet.network}/${gwIface.subnet.prefix}`,
      source: { kind: 'gateway-stanza', interface: gwIface.name, uri: gwIface.uri, span: gwIface.stanza.headerSpan },
    };
  }
  if (!model.subnet) {
    // a static stanza whose subnet holds the most guest addresses
    const guestIps = model.guests.flatMap((g) => g.vifs.flatMap((v) => v.ips.map((a) => a.address)));
    let best: { info: IfaceInfo; n: number } | undefined;
    for (const info of model.interfaces) {
      if (!info.subnet || info.subnet.prefix < 8) continue;
      const n = guestIps.filter((a) => inSubnet(info.subnet!, a)).length;
      if (n > 0 && (!best || n > best.n)) best = { info, n };
    }
    if (best) {
      const { info } = best;
      model.subnet = {
        ...info.subnet!,
        cidr: `${info.subnet!.network}/${info.subnet!.prefix}`,
        source: { kind: 'static-stanza', interface: info.name, uri: info.uri, span: info.stanza.headerSpan },
      };
    }
  }
  if (model.subnet) {
    const holder =
      (gwIface?.address && inSubnet(model.subnet, gwIface.address.text) ? gwIface : undefined) ??
      model.interfaces.find((i) => i.address && inSubnet(model.subnet!, i.address.text));
    if (holder?.address) model.gateway = { address: holder.address.text, interface: holder.name, place: { uri: holder.uri, span: holder.address.word.span } };
  } else if (gwIface?.address) {
    model.gateway = { address: gwIface.address.text, interface: gwIface.name, place: { uri: gwIface.uri, span: gwIface.address.word.span } };
  }

  // The address index.
  const use = (address: string, u: AddressUse) => {
    let list = model.addresses.get(address);
    if (!list) model.addresses.set(address, (list = []));
    list.push(u);
  };
  for (const i of model.interfaces) {
    if (i.address) use(i.address.text, { uri: i.uri, span: i.address.word.span, role: 'interface-address' });
    if (i.gateway) use(i.gateway.text, { uri: i.uri, span: i.gateway.word.span, role: 'interface-gateway' });
    if (i.broadcast) use(i.broadcast.text, { uri: i.uri, span: i.broadcast.word.span, role: 'interface-broadcast' });
  }
  for (const g of model.guests) {
    for (const v of g.vifs) for (const a of v.ips) use(a.address, { uri: g.uri, span: a.span, role: 'guest-vif' });
    if (g.top.ip) use(g.top.ip.address, { uri: g.uri, span: g.top.ip.span, role: 'guest-ip' });
    if (g.top.gateway) use(g.top.gateway.address, { uri: g.uri, span: g.top.gateway.span, role: 'guest-gateway' });
  }
  return model;
}

/** What an address is in the routed subnet. */
export type AddressVerdict = 'outside' | 'network' | 'broadcast' | 'gateway' | 'usable';

export function addressVerdict(model: Pick<HostModel, 'subnet' | 'gateway'>, address: string): AddressVerdict | undefined {
  const s = model.subnet;
  if (!s || !isIPv4(address)) return undefined;
  if (!inSubnet(s, address)) return 'outside';
  if (model.gateway?.address === address) return 'gateway';
  if (s.prefix < 31) {
    if (address === s.network) return 'network';
    if (address === s.broadcast) return 'broadcast';
  }
  return 'usable';
}

/** Normalizes a MAC address for comparison (lower case, two digits per octet); undefined if not one. */
export function normalizeMac(text: string): string | undefined {
  // (every check of a host asks this of every guest's vif: a MAC already written the usual way,
  // six pairs of lower-case digits, is answered with itself, with nothing made)
  if (text.length === 17) {
    let usual = true;
    for (let i = 0; i < 17 && usual; i++) {
      const c = text.charCodeAt(i);
      usual = i % 3 === 2 ? c === 58 /* : */ : (c >= 48 && c <= 57) || (c >= 97 && c <= 102);
    }
    if (usual) return text;
  }
  if (!isMac(text)) return undefined;
  return text
    .split(':')
    .map((o) => o.toLowerCase().padStart(2, '0'))
    .join(':');
}

export { intToIPv4, ipv4ToInt };
