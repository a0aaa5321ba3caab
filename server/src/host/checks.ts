// Checks of the host as a whole: every file against the picture of the host (routed subnet,
// gateway, mode, guests). Codes are `host/<rule>`; `data` carries what a quick fix needs.
import type { Diagnostic, DiagnosticRelatedInformation } from 'vscode-languageserver-types';
import { prefixToNetmask } from '../core/address';
import { error, information, makeDiagnostic, warning, type DiagnosticSpec } from '../core/diagnostics';
import type { Span } from '../core/text';
import type { DiagnosticSeverity } from 'vscode-languageserver-types';
import { freeAddresses } from './free';
import { sourceStaysInNetwork } from './paths';
import {
  addressVerdict,
  inSubnet,
  normalizeMac,
  scriptMode,
  type Guest,
  type GuestVif,
  type HostModel,
  type Mode,
  type Place,
  type VifAddress,
} from './model';

/** Every code checkHost can produce. */
export const HOST_CODES = [
  'host/netmask-prefix-mismatch',
  'host/wrong-broadcast',
  'host/address-is-network',
  'host/address-is-broadcast',
  'host/gateway-outside-subnet',
  'host/gateway-is-own-address',
  'host/guest-ip-outside-subnet',
  'host/guest-ip-network',
  'host/guest-ip-broadcast',
  'host/guest-ip-gateway',
  'host/duplicate-guest-ip',
  'host/guest-ip-host-address',
  'host/vif-without-ip',
  'host/duplicate-mac',
  'host/duplicate-name',
  'host/xm-ip-mismatch',
  'host/xm-gateway-mismatch',
  'host/xm-netmask-mismatch',
  'host/too-many-guests',
  'host/script-modes-differ',
  'host/routed-netdev',
  'host/routed-gatewaydev',
  'host/xl-no-forwarding',
  'host/dummy-module-missing',
  'host/bridge-in-routed',
  'host/source-outside-network',
] as const;
export type HostCode = (typeof HOST_CODES)[number];

/** What a quick fix needs, in `diagnostic.data`. */
export type HostFixData =
  | { fix: 'set-netmask'; value: string }
  | { fix: 'set-broadcast'; value: string }
  | { fix: 'assign-address'; free: string[] }
  | { fix: 'add-ip'; free: string[] }
  | { fix: 'set-value'; value: string }
  | { fix: 'set-script-pair'; networkScript: string; vifScript: string }
  | { fix: 'set-vif-script'; value: string }
  | { fix: 'set-xl-gatewaydev'; value: string }
  | { fix: 'add-vif-item'; key: string; value: string }
  | { fix: 'add-module'; module: string; uri?: string }
  | { fix: 'remove-vif-item'; key: string };

interface Related {
  place: Place;
  message: string;
}

const PARTNER: Record<Mode, { network: string; vif: string } | undefined> = {
  routed: { network: 'network-route', vif: 'vif-route' },
  bridged: { network: 'network-bridge', vif: 'vif-bridge' },
  nat: { network: 'network-nat', vif: 'vif-nat' },
  unknown: undefined,
};

const MODE_WORD: Record<Mode, string> = { routed: 'routed', bridged: 'bridged', nat: 'NAT', unknown: 'unknown' };

/** How many free addresses a fix offers. */
export const FIX_CHOICES = 8;

/** Checks the host; the map holds an entry (possibly empty) for every file of the model. */
/**
 * The host/* diagnostics of every file of the host, or of the files in `only` (the others are
 * left out of the result: an edit that can change only some files' verdicts checks just those).
 */
export function checkHost(model: HostModel, only?: ReadonlySet<string>): Map<string, Diagnostic[]> {
  const out = new Map<string, Diagnostic[]>();
  for (const uri of model.files.keys()) if (!only || only.has(uri)) out.set(uri, []);
  const push = (uri: string, span: Span, severity: DiagnosticSeverity, code: HostCode, message: string, data?: HostFixData, related: Related[] = []) => {
    const file = model.files.get(uri);
    if (!file || (only && !only.has(uri))) return;
    const rel: DiagnosticRelatedInformation[] = [];
    for (const r of related) {
      const other = model.files.get(r.place.uri);
      if (other) rel.push({ location: { uri: r.place.uri, range: other.lines.range(r.place.span.start, r.place.span.end) }, message: r.message });
    }
    const spec: DiagnosticSpec = { span, severity, code, message, related: rel };
    if (data) spec.data = data;
    out.get(uri)!.push(makeDiagnostic(file.lines, spec));
  };
  try {
    checkInterfaces(model, push);
    checkGuests(model, push);
    checkToolstack(model, push);
    checkModules(model, push);
  } catch {
    // a check must never take the server down; what was found so far is kept
  }
  return out;
}

type Push = (uri: string, span: Span, severity: DiagnosticSeverity, code: HostCode, message: string, data?: HostFixData, related?: Related[]) => void;

function subnetPlace(model: HostModel): Related[] {
  const s = model.subnet?.source;
  if (!s || s.kind === 'setting') return [];
  return [{ place: { uri: s.uri, span: s.span }, message: `the routed subnet ${model.subnet!.cidr} comes from this ${s.interface} stanza` }];
}

function subnetWords(model: HostModel): string {
  const s = model.subnet!;
  switch (s.source.kind) {
    case 'setting': return `the routed subnet ${s.cidr} (from the setting xen.network.routedSubnet)`;
    case 'gateway-stanza': return `the routed subnet ${s.cidr} (from ${s.source.interface} in interfaces)`;
    case 'static-stanza': return `the subnet ${s.cidr} (from ${s.source.interface} in interfaces)`;
  }
}

// ---------------------------------------------------------------------------------------------
// interfaces

/** The folder of the host that holds a file (`/etc/network` for .../etc/network/interfaces); /etc/network when the uri has no etc/. */
function hostDirOf(uri: string): string {
  let p = uri;
  try {
    p = decodeURIComponent(uri);
  } catch {
    /* as it is */
  }
  const i = p.lastIndexOf('/etc/');
  if (i < 0) return '/etc/network';
  const hp = p.slice(i);
  return hp.slice(0, hp.lastIndexOf('/'));
}

function checkInterfaces(model: HostModel, push: Push): void {
  // a `source` or `source-directory` outside /etc/network: the apply sends only the host's network
  // files (host/paths.ts), so it refuses such a host (`source-directory /etc/cron.d` would put a
  // cron job into an apply)
  for (const [uri, f] of model.files) {
    if (f.role !== 'interfaces') continue;
    const dir = hostDirOf(uri);
    for (const st of f.ast.stanzas) {
      if (st.kind !== 'source' && st.kind !== 'source-directory') continue;
      for (const w of st.paths) {
        if (sourceStaysInNetwork(dir, w.text)) continue;
        push(uri, w.span, error, 'host/source-outside-network', `\`${st.kind} ${w.text.slice(0, 80)}\` reads files outside /etc/network: Apply to Host sends only the host's network files (interfaces, interfaces.d, modules, xen, sysctl) and refuses this host until the line names a path under /etc/network.`);
      }
    }
  }
  for (const i of model.interfaces) {
    const addr = i.address;
    if (i.netmask?.prefix !== undefined && addr?.prefixFromSlash !== undefined && i.netmask.prefix !== addr.prefixFromSlash) {
      push(
        i.uri,
        i.netmask.word.span,
        warning,
        'host/netmask-prefix-mismatch',
        `netmask ${i.netmask.text} is a /${i.netmask.prefix}, but the address says /${addr.prefixFromSlash}. ifupdown uses the netmask, so ${i.name} gets a /${i.netmask.prefix}.`,
        { fix: 'set-netmask', value: prefixToNetmask(addr.prefixFromSlash) },
        [{ place: { uri: i.uri, span: addr.word.span }, message: `the address gives /${addr.prefixFromSlash}` }],
      );
    }
    const s = i.subnet;
    if (!s || !addr) continue;
    const pointToPoint = s.prefix >= 31;
    if (i.broadcast && !pointToPoint && i.broadcast.text !== s.broadcast) {
      push(
        i.uri,
        i.broadcast.word.span,
        warning,
        'host/wrong-broadcast',
        `The broadcast address of ${s.network}/${s.prefix} is ${s.broadcast}, not ${i.broadcast.text}.`,
        { fix: 'set-broadcast', value: s.broadcast },
        [{ place: { uri: i.uri, span: (i.netmask ?? addr).word.span }, message: `${i.name} is in ${s.network}/${s.prefix}` }],
      );
    }
    if (!pointToPoint && addr.text === s.network) {
      push(i.uri, addr.word.span, error, 'host/address-is-network', `${addr.text} is the network address of ${s.network}/${s.prefix}; an interface cannot hold it. The usable addresses run from ${s.firstUsable} to ${s.lastUsable}.`);
    } else if (!pointToPoint && addr.text === s.broadcast) {
      push(i.uri, addr.word.span, error, 'host/address-is-broadcast', `${addr.text} is the broadcast address of ${s.network}/${s.prefix}; an interface cannot hold it. The usable addresses run from ${s.firstUsable} to ${s.lastUsable}.`);
    }
    if (i.gateway) {
      if (i.gateway.text === addr.text) {
        push(i.uri, i.gateway.word.span, error, 'host/gateway-is-own-address', `The gateway ${i.gateway.text} is ${i.name}'s own address: the default route must point at another machine.`, undefined, [
          { place: { uri: i.uri, span: addr.word.span }, message: 'the address of the same stanza' },
        ]);
      } else if (!inSubnet(s, i.gateway.text)) {
        push(i.uri, i.gateway.word.span, error, 'host/gateway-outside-subnet', `The gateway ${i.gateway.text} is outside ${i.name}'s subnet ${s.network}/${s.prefix}, so the kernel cannot reach it directly and ifup fails to add the route.`, undefined, [
          { place: { uri: i.uri, span: (i.netmask ?? addr).word.span }, message: `${i.name} is in ${s.network}/${s.prefix}` },
        ]);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// domain files

function sortedGuests(model: HostModel): Guest[] {
  return [...model.guests].sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
}

function checkGuests(model: HostModel, push: Push): void {
  const s = model.subnet;
  const gw = model.gateway;
  const gwRelated: Related[] = gw ? [{ place: gw.place, message: `the gateway ${gw.address} on ${gw.interface}` }] : [];
  // the free addresses a fix offers, computed once for the whole check
  let freeList: string[] | undefined;
  const firstFree = (): string[] => (freeList ??= freeAddresses(model, { limit: FIX_CHOICES }).addresses);

  // addresses of vifs: verdict against the subnet
  const vifUses = new Map<string, { guest: Guest; vif: GuestVif; ip: VifAddress }[]>();
  for (const g of model.guests) {
    for (const v of g.vifs) {
      if (v.mode === 'nat') continue; // private addresses behind the host
      for (const ip of v.ips) {
        let list = vifUses.get(ip.address);
        if (!list) vifUses.set(ip.address, (list = []));
        list.push({ guest: g, vif: v, ip });
        if (!s) continue;
        const verdict = addressVerdict(model, ip.address);
        const free = () => ({ fix: 'assign-address' as const, free: firstFree() });
        switch (verdict) {
          case 'outside':
            if (v.mode === 'bridged') break; // a bridged guest may live on any network the bridge reaches
            push(g.uri, ip.span, error, 'host/guest-ip-outside-subnet', `${ip.address} is outside ${subnetWords(model)}: the host does not route it to this guest.`, free(), subnetPlace(model));
            break;
          case 'network':
            push(g.uri, ip.span, error, 'host/guest-ip-network', `${ip.address} is the network address of ${s.cidr}; a guest cannot use it.`, free(), subnetPlace(model));
            break;
          case 'broadcast':
            push(g.uri, ip.span, error, 'host/guest-ip-broadcast', `${ip.address} is the broadcast address of ${s.cidr}; a guest cannot use it.`, free(), subnetPlace(model));
            break;
          case 'gateway':
            push(g.uri, ip.span, error, 'host/guest-ip-gateway', `${ip.address} is the host's own address on ${gw!.interface}, the guests' gateway; give the guest another address.`, free(), gwRelated);
            break;
        }
      }
    }
  }

  // a guest on an address the host itself holds on another interface (the gateway has its own check)
  const hostAddresses = new Map<string, (typeof model.interfaces)[number]>();
  for (const i of model.interfaces) if (i.address && i.method === 'static') hostAddresses.set(i.address.text, i);
  for (const [address, uses] of vifUses) {
    const iface = hostAddresses.get(address);
    if (!iface || iface.name === gw?.interface) continue;
    for (const u of uses) {
      push(
        u.guest.uri,
        u.ip.span,
        error,
        'host/guest-ip-host-address',
        `${address} is the host's own address on ${iface.name}: the host answers for it itself, so the route to this guest never carries its traffic; give the guest another address.`,
        { fix: 'assign-address', free: firstFree() },
        [{ place: { uri: iface.uri, span: iface.address!.word.span }, message: `${address} on ${iface.name}` }],
      );
    }
  }

  // the same address on two vifs
  for (const [address, uses] of vifUses) {
    if (uses.length < 2) continue;
    for (const u of uses) {
      const others = uses.filter((o) => o !== u);
      const names = [...new Set(others.map((o) => (o.guest.uri === u.guest.uri ? 'another vif of this guest' : o.guest.name?.text ?? fileName(o.guest.uri))))];
      push(
        u.guest.uri,
        u.ip.span,
        error,
        'host/duplicate-guest-ip',
        `${address} is also given to ${names.join(', ')}: two guests with one address take each other's traffic.`,
        { fix: 'assign-address', free: firstFree() },
        others.map((o) => ({ place: { uri: o.guest.uri, span: o.ip.span }, message: `${address} in ${o.guest.name?.text ?? fileName(o.guest.uri)}` })),
      );
    }
  }

  // routed vifs without ip=, bridges while routing
  for (const g of model.guests) {
    for (const v of g.vifs) {
      if (v.mode !== 'routed') continue;
      if (!v.ipItem) {
        push(
          g.uri,
          v.span,
          error,
          'host/vif-without-ip',
          'This vif has no ip=, but the host routes: vif-route adds host routes only for the addresses listed in ip=, so the guest is unreachable. Add the guest\'s address.',
          { fix: 'add-ip', free: firstFree() },
          modeRelated(model),
        );
      }
      if (v.bridge && !v.script) {
        push(g.uri, v.bridge.span, warning, 'host/bridge-in-routed', `This vif names bridge=${v.bridge.value ?? ''}, but the host routes (vif-route): no bridge is used and the setting is ignored.`, { fix: 'remove-vif-item', key: 'bridge' }, modeRelated(model));
      } else if (v.bridge && v.script) {
        push(g.uri, v.bridge.span, warning, 'host/bridge-in-routed', `This vif names bridge=${v.bridge.value ?? ''}, but its script ${v.script.value} routes: no bridge is used and the setting is ignored.`, { fix: 'remove-vif-item', key: 'bridge' });
      }
    }
  }

  // MACs and names across files
  const macs = new Map<string, { guest: Guest; span: Span }[]>();
  const names = new Map<string, Guest[]>();
  for (const g of model.guests) {
    const seen = new Set<string>();
    for (const v of g.vifs) {
      const mac = v.mac?.value !== undefined ? normalizeMac(v.mac.value.trim()) : undefined;
      if (!mac || seen.has(mac)) continue; // the same file twice: domain/duplicate-mac
      seen.add(mac);
      let list = macs.get(mac);
      if (!list) macs.set(mac, (list = []));
      list.push({ guest: g, span: v.mac!.valueSpan ?? v.mac!.span });
    }
    if (g.name) {
      let list = names.get(g.name.text);
      if (!list) names.set(g.name.text, (list = []));
      list.push(g);
    }
  }
  for (const [mac, uses] of macs) {
    if (uses.length < 2) continue;
    for (const u of uses) {
      const others = uses.filter((o) => o !== u);
      push(u.guest.uri, u.span, error, 'host/duplicate-mac', `The MAC address ${mac} is also used by ${others.map((o) => o.guest.name?.text ?? fileName(o.guest.uri)).join(', ')}; two interfaces with one MAC on a network confuse switches and ARP.`, undefined,
        others.map((o) => ({ place: { uri: o.guest.uri, span: o.span }, message: `the same MAC in ${o.guest.name?.text ?? fileName(o.guest.uri)}` })));
    }
  }
  for (const [name, gs] of names) {
    if (gs.length < 2) continue;
    for (const g of gs) {
      const others = gs.filter((o) => o !== g);
      push(g.uri, g.name!.span, error, 'host/duplicate-name', `Another domain file also names its guest '${name}'; Xen refuses to start a second domain with the same name.`, undefined,
        others.map((o) => ({ place: { uri: o.uri, span: o.name!.span }, message: `name '${name}' in ${fileName(o.uri)}` })));
    }
  }

  // xm's kernel-line settings
  if (s) {
    for (const g of model.guests) {
      const { ip, gateway, netmask } = g.top;
      if (ip) {
        const verdict = addressVerdict(model, ip.address);
        const vifIps = g.vifs.flatMap((v) => v.ips.map((a) => a.address));
        if (verdict !== 'usable') {
          const why = verdict === 'outside' ? `outside ${subnetWords(model)}` : verdict === 'gateway' ? 'the gateway\'s address' : `the ${verdict} address of ${s.cidr}`;
          push(g.uri, ip.span, warning, 'host/xm-ip-mismatch', `The guest's ip ${ip.address} is ${why}.`, { fix: 'assign-address', free: firstFree() }, subnetPlace(model));
        } else if (vifIps.length && !vifIps.includes(ip.address)) {
          push(g.uri, ip.span, warning, 'host/xm-ip-mismatch', `The guest's ip ${ip.address} is not among its vif's addresses (${vifIps.join(', ')}): the host routes those, not this one.`, { fix: 'set-value', value: vifIps[0] });
        }
      }
      if (gateway && gw && gateway.address !== gw.address) {
        push(g.uri, gateway.span, warning, 'host/xm-gateway-mismatch', `The guest's gateway ${gateway.address} is not the host's address ${gw.address} on ${gw.interface}, which routes the guests.`, { fix: 'set-value', value: gw.address }, gwRelated);
      }
      if (netmask && netmask.address !== s.netmask && netmask.address !== '255.255.255.255') {
        push(g.uri, netmask.span, warning, 'host/xm-netmask-mismatch', `The guest's netmask ${netmask.address} does not match ${subnetWords(model)}, whose netmask is ${s.netmask}.`, { fix: 'set-value', value: s.netmask }, subnetPlace(model));
      }
    }
  }

  // more guests than addresses
  if (s && model.mode.mode === 'routed') {
    const routed = sortedGuests(model).filter((g) => g.vifs.some((v) => v.mode === 'routed'));
    const gwInside = gw && inSubnet(s, gw.address) ? 1 : 0;
    const capacity = Math.max(0, s.usableCount - gwInside);
    if (routed.length > capacity) {
      routed.slice(capacity).forEach((g) => {
        const span = g.name?.span ?? g.vifs[0].span;
        push(g.uri, span, warning, 'host/too-many-guests', `The host has ${routed.length} routed guests, but ${s.cidr} gives only ${capacity} address${capacity === 1 ? '' : 'es'}${gwInside ? ' after the gateway' : ''}: this guest is one too many.`, undefined, subnetPlace(model));
      });
    }
  }
}

function modeRelated(model: HostModel): Related[] {
  const x = model.xend;
  if (model.mode.source === 'xend' && x) {
    const span = x.vifScript ? x.vifScriptSpan : x.networkScriptSpan;
    if (span) return [{ place: { uri: x.uri, span }, message: 'xend runs the host in routed mode' }];
  }
  if (model.mode.source === 'xl-conf' && model.xlConf?.script) return [{ place: { uri: model.xlConf.uri, span: model.xlConf.script.span }, message: 'xl.conf makes vif-route the default' }];
  return [];
}

function fileName(uri: string): string {
  return uri.slice(uri.lastIndexOf('/') + 1) || uri;
}

// ---------------------------------------------------------------------------------------------
// xend-config.sxp and xl.conf

function checkToolstack(model: HostModel, push: Push): void {
  const x = model.xend;
  const gw = model.gateway;
  if (x) {
    const n = x.networkScript;
    const v = x.vifScript;
    const nm = scriptMode(n?.name);
    const vm = scriptMode(v?.name);
    if (n && v && nm !== 'unknown' && vm !== 'unknown' && nm !== vm) {
      const pair = PARTNER[vm]!;
      push(x.uri, v.nameSpan, error, 'host/script-modes-differ',
        `vif-script ${v.name} is for ${MODE_WORD[vm]} networking, but network-script ${n.name} sets the host up for ${MODE_WORD[nm]} networking. Use a matching pair (${pair.network} with ${pair.vif}).`,
        { fix: 'set-script-pair', networkScript: pair.network, vifScript: pair.vif },
        [{ place: { uri: x.uri, span: n.nameSpan }, message: `network-script ${n.name}` }]);
    }
    if (vm === 'routed' && gw && v) {
      const netdev = v.args.find((a) => a.key === 'netdev');
      const dev = netdev?.value || 'eth0';
      if (dev !== gw.interface) {
        const value = [v.name, ...v.args.filter((a) => a.key !== 'netdev').map((a) => a.text), `netdev=${gw.interface}`].join(' ');
        push(x.uri, netdev?.span ?? v.nameSpan, warning, 'host/routed-netdev',
          `The guests' gateway ${gw.address} is on ${gw.interface}, but vif-route takes the host's address from ${netdev ? `netdev=${dev}` : 'eth0 (netdev not given)'}. Use (vif-script '${value}').`,
          { fix: 'set-vif-script', value },
          [{ place: gw.place, message: `the gateway ${gw.address} on ${gw.interface}` }]);
      }
    }
  }
  if (!x && gw && gw.interface !== 'eth0') {
    const xl = model.xlConf;
    const defaultDev = xl?.gatewaydev?.text;
    if (xl?.script && scriptMode(xl.script.text) === 'routed' && (defaultDev ?? 'eth0') !== gw.interface) {
      push(xl.uri, xl.gatewaydev?.span ?? xl.script.span, warning, 'host/routed-gatewaydev',
        `The guests' gateway ${gw.address} is on ${gw.interface}, but vif-route takes the host's address from ${defaultDev ?? 'eth0 (no vif.default.gatewaydev)'}. Set vif.default.gatewaydev="${gw.interface}".`,
        { fix: 'set-xl-gatewaydev', value: gw.interface },
        [{ place: gw.place, message: `the gateway ${gw.address} on ${gw.interface}` }]);
    }
    for (const g of model.guests) {
      for (const v of g.vifs) {
        if (v.mode !== 'routed' || !v.script) continue;
        const dev = v.gatewaydev?.value ?? defaultDev ?? 'eth0';
        if (dev === gw.interface) continue;
        push(g.uri, v.gatewaydev?.span ?? v.script.span, warning, 'host/routed-gatewaydev',
          `The guests' gateway ${gw.address} is on ${gw.interface}, but vif-route takes the host's address from ${v.gatewaydev ? `gatewaydev=${dev}` : `${dev} (gatewaydev not given)`}. Add gatewaydev=${gw.interface} to this vif.`,
          { fix: 'add-vif-item', key: 'gatewaydev', value: gw.interface },
          [{ place: gw.place, message: `the gateway ${gw.address} on ${gw.interface}` }]);
      }
    }
  }
  // xl runs no network script: nothing turns IP forwarding on unless the host's files do
  // (a sysctl file, or a command of an interfaces stanza). Shown on a network: without it the
  // guests reach dom0 and nothing past it (docs/network-proof.md).
  const xl = model.xlConf;
  if (!x && xl?.script && scriptMode(xl.script.text) === 'routed' && !model.forwarding?.on && !forwardingByInterfaces(model)) {
    const off = model.forwarding && !model.forwarding.on ? model.forwarding.place : undefined;
    push(xl.uri, xl.script.span, error, 'host/xl-no-forwarding',
      `The host routes its guests with vif-route, but under xl no network script turns IP forwarding on (xend's network-route did)${off ? ', and a sysctl file turns it off' : ''}: the guests reach the host and nothing past it. Add net.ipv4.ip_forward = 1 to a file in /etc/sysctl.d/ (Xen: New Routed Network Setup writes etc/sysctl.d/xen-routed.conf).`,
      undefined,
      off ? [{ place: off, message: 'IP forwarding is turned off here' }] : []);
  }
}

/** Whether a command of an interfaces stanza (up, pre-up, post-up) turns IP forwarding on. */
function forwardingByInterfaces(model: HostModel): boolean {
  for (const i of model.interfaces) {
    for (const o of i.stanza.options) {
      if (!/^(pre-up|up|post-up)$/.test(o.nameText)) continue;
      const v = o.valueText ?? '';
      if (/ip_forward|conf\.all\.forwarding/.test(v) && /(=|\s)1\b/.test(v)) return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// /etc/modules

function checkModules(model: HostModel, push: Push): void {
  if (model.modules.some((m) => m.names.has('dummy'))) return;
  for (const f of model.files.values()) {
    if (f.role !== 'interfaces') continue;
    const seen = new Set<string>();
    for (const st of f.ast.stanzas) {
      if (st.kind !== 'iface' || !st.name) continue;
      const name = st.name.text;
      const linkDummy = st.options.some((o) => o.name.text === 'link-type' && o.value?.text === 'dummy');
      if (!/^dummy\d*$/.test(name) && !linkDummy) continue;
      if (seen.has(name)) continue;
      seen.add(name);
      // a stanza that loads the module itself
      if (st.options.some((o) => /\bmodprobe\b.*\bdummy\b/.test(o.value?.text ?? ''))) continue;
      const modules = model.modules[0];
      const etc = f.uri.lastIndexOf('/etc/');
      const target = modules?.uri ?? (etc >= 0 ? f.uri.slice(0, etc) + '/etc/modules' : undefined);
      const data: HostFixData = target ? { fix: 'add-module', module: 'dummy', uri: target } : { fix: 'add-module', module: 'dummy' };
      push(f.uri, st.name.span, model.modules.length ? warning : information, 'host/dummy-module-missing',
        modules
          ? `${name} is a dummy interface, but /etc/modules does not load the dummy module: after a reboot ${name} does not exist and ifup fails. Add 'dummy' to /etc/modules.`
          : `${name} is a dummy interface: make sure the dummy module is loaded at boot (add 'dummy' to /etc/modules).`,
        data,
        modules ? [{ place: { uri: modules.uri, span: { start: 0, end: 0 } }, message: '/etc/modules lists no dummy' }] : []);
    }
  }
}

