// The host as the address view and the network diagram show it (the custom request xen/hostView):
// the routed subnet, every address of it in order with its role and the line that defines it, the
// interfaces (the uplink, the gateway's interface), the guests with their vifs, and the host's
// problems placed on those entries. Pure: built from a host check (model and host/* diagnostics).
//
//   xen/hostView  { uri } | { root }  ->  HostView | null   (the shapes: server/src/protocol/hostView.ts)
//
// `uri`: any file of the host; `root`: the folder holding its etc/ (a uri or an absolute path).
import { baseName, decodeSafe, relativeTo, splitAtEtc } from '../core/uri';
import { hostNameOf } from '../host/live';
import type { Diagnostic, Range } from 'vscode-languageserver-types';
import { intToIPv4, ipv4ToInt } from '../core/address';
import type { Span } from '../core/text';
import { addressVerdict, inSubnet, type IfaceInfo } from '../host/model';
import { freeAddresses } from '../host/free';
import { describeSource } from './addresses';
import type { HostCheck } from '../host/index';
import type { HostView, ViewAddress, ViewGuest, ViewInterface, ViewPlace, ViewProblem, ViewRole, ViewVif } from '../protocol';

/** Addresses listed at most (a /16 has 65,536; the used ones and the ends are always listed). */
export const MAX_LISTED = 256;

const SEVERITY: Record<number, ViewProblem['severity']> = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };

function relative(root: string, uri: string): string {
  const rel = relativeTo(root, uri);
  if (rel !== undefined) return rel;
  const split = splitAtEtc(uri);
  return split ? decodeSafe(split.hostPath.slice(1)) : baseName(uri);
}

function before(a: Range['start'], b: Range['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** Whether two ranges share a character (or touch on one line, for empty ranges). */
function overlaps(a: Range, b: Range): boolean {
  return !before(a.end, b.start) && !before(b.end, a.start);
}

export function hostView(check: HostCheck | undefined): HostView | null {
  if (!check) return null;
  const model = check.model;
  const root = check.root.startsWith('folder:') ? check.root.slice('folder:'.length) : check.root;
  const place = (uri: string, span: Span): ViewPlace => {
    const f = model.files.get(uri);
    const range = f ? f.lines.range(span.start, span.end) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return { uri, range };
  };

  const problems: ViewProblem[] = [];
  for (const [uri, diags] of check.diagnostics) {
    for (const d of diags as Diagnostic[]) {
      problems.push({
        code: String(d.code ?? ''),
        message: typeof d.message === 'string' ? d.message : d.message.value,
        severity: SEVERITY[d.severity ?? 1] ?? 'error',
        uri,
        range: d.range,
      });
    }
  }
  const problemsAt = (places: ViewPlace[]): ViewProblem[] => {
    const out: ViewProblem[] = [];
    for (const p of problems) if (places.some((q) => q.uri === p.uri && overlaps(q.range, p.range)) && !out.includes(p)) out.push(p);
    return out;
  };

  // interfaces
  const gwIface = model.gateway?.interface ?? model.gatewayInterface;
  let uplinkSeen = false;
  const interfaces: ViewInterface[] = [];
  const ifaces = model.interfaces.filter((i) => i.method !== 'loopback' && i.name !== 'lo');
  const hasGatewayOption = ifaces.some((i) => i.gateway && i.name !== gwIface);
  for (const i of ifaces as IfaceInfo[]) {
    let kind: ViewInterface['kind'] = 'other';
    if (i.name === gwIface) kind = 'gateway';
    else if (!uplinkSeen && (hasGatewayOption ? !!i.gateway : i.method === 'static' || i.method === 'dhcp')) {
      kind = 'uplink';
      uplinkSeen = true;
    }
    const p = place(i.uri, i.stanza.span);
    interfaces.push({
      name: i.name,
      method: i.method,
      address: i.address?.text,
      prefix: i.prefix,
      gateway: i.gateway?.text,
      kind,
      place: p,
      problems: problemsAt([p]),
    });
  }

  // guests
  const guests: ViewGuest[] = [];
  const guestNameOf = new Map<string, string>();
  for (const g of model.guests) {
    const file = relative(root, g.uri);
    const base = file.slice(file.lastIndexOf('/') + 1).replace(/\.(cfg|xl|xm)$/, '');
    const name = g.name?.text ?? base;
    guestNameOf.set(g.uri, name);
    const vifs: ViewVif[] = g.vifs.map((v) => {
      const p = place(g.uri, v.span);
      return { index: v.index, ips: v.ips.map((a) => a.address), mode: v.mode, place: p, problems: problemsAt([p]) };
    });
    if (g.top.ip && !vifs.some((v) => v.ips.includes(g.top.ip!.address))) {
      const p = place(g.uri, g.top.ip.span);
      if (vifs.length) vifs[0].ips.push(g.top.ip.address);
      else vifs.push({ index: 0, ips: [g.top.ip.address], mode: model.mode.mode, place: p, problems: problemsAt([p]) });
    }
    guests.push({
      name,
      file,
      uri: g.uri,
      place: g.name ? place(g.uri, g.name.span) : place(g.uri, { start: 0, end: 0 }),
      vifs,
      problems: problems.filter((p) => p.uri === g.uri),
    });
  }

  // addresses
  const s = model.subnet;
  const addresses: ViewAddress[] = [];
  let unlisted = 0;
  const entry = (address: string): ViewAddress => {
    const uses = model.addresses.get(address) ?? [];
    const places = uses.map((u) => place(u.uri, u.span));
    const holder = uses.find((u) => u.role === 'guest-vif' || u.role === 'guest-ip');
    const iface = uses.find((u) => u.role === 'interface-address');
    const verdict = addressVerdict(model, address);
    const guestName = holder ? (guestNameOf.get(holder.uri) ?? relative(root, holder.uri)) : undefined;
    const held = holder ? `guest ${guestName} (${relative(root, holder.uri)})` : undefined;
    const ifaceName = iface ? model.interfaces.find((i) => i.uri === iface.uri && i.address?.word.span.start === iface.span.start)?.name : undefined;
    let role: ViewRole;
    let label: string;
    let at: ViewPlace | undefined;
    switch (verdict) {
      case 'network':
        role = 'network';
        label = held ? `network address, but held by ${held}` : 'network';
        break;
      case 'broadcast':
        role = 'broadcast';
        label = held ? `broadcast address, but held by ${held}` : 'broadcast';
        break;
      case 'gateway':
        role = 'gateway';
        label = `gateway on ${model.gateway?.interface ?? '?'}${held ? `, also held by ${held}` : ''}`;
        if (model.gateway) at = place(model.gateway.place.uri, model.gateway.place.span);
        break;
      case 'outside':
        role = 'outside';
        label = held ? `${held}, outside ${s?.cidr ?? 'the subnet'}` : `outside ${s?.cidr ?? 'the subnet'}`;
        break;
      default:
        if (holder) {
          role = 'guest';
          label = held!;
        } else if (iface) {
          role = 'interface';
          label = `host address on ${ifaceName ?? relative(root, iface.uri)}`;
        } else {
          role = 'free';
          label = 'free';
        }
    }
    const first = holder ?? iface ?? uses[0];
    at ??= first ? place(first.uri, first.span) : undefined;
    const out: ViewAddress = { address, role, label, problems: problemsAt(at ? [at, ...places] : places) };
    if (at) out.place = at;
    if (guestName) out.guest = guestName;
    return out;
  };
  if (s) {
    const first = ipv4ToInt(s.network);
    const last = ipv4ToInt(s.broadcast);
    if (last - first + 1 <= MAX_LISTED) {
      for (let n = first; n <= last; n++) addresses.push(entry(intToIPv4(n)));
    } else {
      // the ends, every used address, and the first free ones
      const listed = new Set<number>([first, last]);
      for (const a of model.addresses.keys()) if (inSubnet(s, a)) listed.add(ipv4ToInt(a));
      if (model.gateway && inSubnet(s, model.gateway.address)) listed.add(ipv4ToInt(model.gateway.address));
      const free = freeAddresses(model, { limit: 16 });
      for (const a of free.addresses) listed.add(ipv4ToInt(a));
      unlisted = Math.max(0, free.count - free.addresses.length);
      for (const n of [...listed].sort((a, b) => a - b)) addresses.push(entry(intToIPv4(n)));
    }
    // guests' addresses outside the subnet, after it
    const outside = new Set<string>();
    for (const g of model.guests) for (const v of g.vifs) for (const a of v.ips) if (!inSubnet(s, a.address)) outside.add(a.address);
    for (const a of [...outside].sort((x, y) => ipv4ToInt(x) - ipv4ToInt(y))) addresses.push(entry(a));
  }

  const name = hostNameOf(root);
  const view: HostView = {
    root,
    name,
    subnet: s ? s.cidr : null,
    source: s ? describeSource(model, s.source) : (model.settingProblem ?? 'no routed subnet found'),
    mode: model.mode.mode,
    toolstack: model.mode.toolstack,
    gateway: model.gateway
      ? { address: model.gateway.address, interface: model.gateway.interface, place: place(model.gateway.place.uri, model.gateway.place.span) }
      : null,
    free: s ? freeAddresses(model, { limit: 0 }).count : 0,
    usable: s ? s.usableCount : 0,
    addresses,
    unlisted,
    interfaces,
    guests,
    problems,
  };
  if (s && s.source.kind !== 'setting') view.subnetPlace = place(s.source.uri, s.source.span);
  return view;
}
