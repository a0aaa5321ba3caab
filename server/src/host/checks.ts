// Checks of the host as a whole: every file against the picture of the host (routed subnet,
// gateway, mode, guests). Codes are `host/<rule>`; `data` carries what a quick fix needs.
import { DUMMY_MODULE, isDummyInterface } from '../core/network';
import { decodeSafe, hostRootKey, splitAtEtc } from '../core/uri';
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
  type IfaceInfo,
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
  'host/second-default-route',
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
  'host/vif-bridge-missing',
  'host/auto-without-iface',
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
  | { fix: 'set-script-pair'; networkScript: string; vifScript: string; alternatives?: { networkScript: string; vifScript: string }[] }
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
    checkDefaultRoutes(model, push);
    checkGuests(model, push);
    checkVifBridges(model, push);
    checkSourcedNames(model, push);
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
    case 'setting':
      return `the routed subnet ${s.cidr} (from the setting xen.network.routedSubnet)`;
    case 'gateway-stanza':
      return `the routed subnet ${s.cidr} (from ${s.source.interface} in interfaces)`;
    case 'static-stanza':
      return `the subnet ${s.cidr} (from ${s.source.interface} in interfaces)`;
  }
}

// ---------------------------------------------------------------------------------------------
// interfaces

/** The folder of the host that holds a file (`/etc/network` for .../etc/network/interfaces); /etc/network when the uri has no etc/. */
function hostDirOf(uri: string): string {
  const split = splitAtEtc(decodeSafe(uri));
  if (!split) return '/etc/network';
  return split.hostPath.slice(0, split.hostPath.lastIndexOf('/'));
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
        push(
          uri,
          w.span,
          error,
          'host/source-outside-network',
          `\`${st.kind} ${w.text.slice(0, 80)}\` reads files outside /etc/network: Apply to Host sends only the host's network files (interfaces, interfaces.d, modules, xen, sysctl) and refuses this host until the line names a path under /etc/network.`,
        );
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
    let s = i.subnet;
    if (!s || !addr) continue;
    // The routed block given in the setting is what the gateway stanza must hold: when its
    // netmask says another size, that netmask is the mistake (and the broadcast is judged
    // against the routed block, not against the wrong size).
    const routed = model.subnet;
    if (
      routed &&
      routed.source.kind === 'setting' &&
      i.name === model.gatewayInterface &&
      i.prefix !== undefined &&
      i.prefix !== routed.prefix &&
      inSubnet(routed, addr.text)
    ) {
      const want = prefixToNetmask(routed.prefix);
      const word = i.netmask?.word ?? addr.word;
      push(
        i.uri,
        word.span,
        warning,
        'host/netmask-prefix-mismatch',
        `${i.netmask ? `netmask ${i.netmask.text}` : `/${i.prefix}`} makes ${i.name} a /${i.prefix}, but the routed subnet is ${routed.cidr} (the setting xen.network.routedSubnet): use netmask ${want}, or the host claims addresses it is not routed.`,
        i.netmask ? { fix: 'set-netmask', value: want } : undefined,
      );
      s = routed;
    }
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
      // the kernel accepts it (`ip addr add 10.0.0.0/29` succeeds), but other machines of the block
      // read it as the network address: a warning, not a refusal
      push(
        i.uri,
        addr.word.span,
        warning,
        'host/address-is-network',
        `${addr.text} is the network address of ${s.network}/${s.prefix}: Linux lets ${i.name} hold it, but other machines and routers treat it as the network, not as a host. The usable addresses run from ${s.firstUsable} to ${s.lastUsable}.`,
      );
    } else if (!pointToPoint && addr.text === s.broadcast) {
      push(
        i.uri,
        addr.word.span,
        warning,
        'host/address-is-broadcast',
        `${addr.text} is the broadcast address of ${s.network}/${s.prefix}: Linux lets ${i.name} hold it, but packets to it go to every machine of the block. The usable addresses run from ${s.firstUsable} to ${s.lastUsable}.`,
      );
    }
    if (i.gateway) {
      if (i.gateway.text === addr.text) {
        push(
          i.uri,
          i.gateway.word.span,
          error,
          'host/gateway-is-own-address',
          `The gateway ${i.gateway.text} is ${i.name}'s own address: the default route must point at another machine.`,
          undefined,
          [{ place: { uri: i.uri, span: addr.word.span }, message: 'the address of the same stanza' }],
        );
      } else if (!inSubnet(s, i.gateway.text) && i.pointopoint?.text !== i.gateway.text) {
        // ifupdown 0.8 adds every gateway route with `onlink` (`ip route add default via G dev IF
        // onlink`), which the kernel accepts off the subnet; the hosting providers' /32 setups
        // rely on it. The gateway that is the point-to-point peer is the textbook case and says
        // nothing. Otherwise the route is added and works if the gateway answers on this link.
        push(
          i.uri,
          i.gateway.word.span,
          information,
          'host/gateway-outside-subnet',
          `The gateway ${i.gateway.text} is outside ${i.name}'s subnet ${s.network}/${s.prefix}: ifupdown adds the default route with \`onlink\`, so it works only if ${i.gateway.text} answers on ${i.name}'s link (as a provider's gateway does); \`pointopoint ${i.gateway.text}\` says so explicitly.`,
          undefined,
          [{ place: { uri: i.uri, span: (i.netmask ?? addr).word.span }, message: `${i.name} is in ${s.network}/${s.prefix}` }],
        );
      }
    }
  }
}

/**
 * Two stanzas brought up at boot, each with `gateway` and no `metric`: ifupdown 0.8 runs
 * `ip route add default via G dev IF onlink` for each, and the second fails with "RTNETLINK
 * answers: File exists" (one default route per metric), so `ifup` of that interface reports
 * failure ("failed to bring up") and its default route is never added. A `metric` on either makes
 * the routes distinct and both are added (both seen in a network namespace of our own). A
 * warning: the address is still configured, and only Debian's ifupdown was observed.
 */
function checkDefaultRoutes(model: HostModel, push: Push): void {
  const up = new Set<string>();
  for (const f of model.files.values()) {
    if (f.role !== 'interfaces') continue;
    for (const st of f.ast.stanzas) {
      if (st.kind === 'auto' || (st.kind === 'allow' && (st.className === 'auto' || st.className === 'hotplug'))) for (const n of st.names) up.add(n.text);
    }
  }
  let first: IfaceInfo | undefined;
  const named = new Set<string>();
  for (const i of model.interfaces) {
    if (!i.gateway || !up.has(i.name) || named.has(i.name)) continue;
    if (i.method !== 'static' || i.gateway.text === i.address?.text) continue;
    if (i.stanza.options.some((o) => o.nameText === 'metric' || o.nameText === 'vrf' || o.nameText === 'vrf-table')) continue;
    named.add(i.name);
    if (!first) {
      first = i;
      continue;
    }
    push(
      i.uri,
      i.gateway.word.span,
      warning,
      'host/second-default-route',
      `${first.name} already has a default route (gateway ${first.gateway!.text}), and a second one without \`metric\` fails: ifupdown's \`ip route add default via ${i.gateway.text} dev ${i.name} onlink\` answers "File exists", and \`ifup ${i.name}\` reports failure. Keep one gateway, or add \`metric N\` to tell the routes apart.`,
      undefined,
      [{ place: { uri: first.uri, span: first.gateway!.word.span }, message: `the first default route, via ${first.name}` }],
    );
  }
}

// ---------------------------------------------------------------------------------------------
// `auto X` in a file that sources others: X must have a stanza somewhere ifupdown reads

function checkSourcedNames(model: HostModel, push: Push): void {
  let names: IfaceNames | undefined;
  for (const f of model.files.values()) {
    if (f.role !== 'interfaces') continue;
    const stanzas = f.ast.stanzas;
    let sources = 0;
    let outside = false;
    let mapping = false;
    for (const st of stanzas) {
      if (st.kind === 'source' || st.kind === 'source-directory') {
        sources++;
        // a path outside /etc is not part of the host folder: it may hold the stanza
        for (const w of st.paths) if (w.text.startsWith('/') && !w.text.startsWith('/etc/')) outside = true;
      } else if (st.kind === 'mapping') mapping = true;
    }
    if (!sources || mapping) continue;
    names ??= interfacesNames(model);
    for (const st of stanzas) {
      if (st.kind !== 'auto' && st.kind !== 'allow') continue;
      const boot = st.kind === 'auto' || st.className === 'auto';
      for (const n of st.names) {
        if (n.text === 'lo' || names.defined.has(n.text)) continue;
        push(
          f.uri,
          n.span,
          boot && !outside ? error : warning,
          'host/auto-without-iface',
          boot && !outside
            ? `\`${st.keyword.text} ${n.text}\`: no \`iface ${n.text}\` stanza in this file nor in the files it sources, so ifupdown refuses the whole file ("unknown interface ${n.text}").`
            : `No \`iface ${n.text}\` stanza in this file nor in the sourced files of the host; ${st.keyword.text} cannot configure \`${n.text}\` without one.`,
        );
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// the bridges guests are put on

/** What the host's interfaces files say of one interface name: a stanza, brought up at boot. */
interface IfaceNames {
  defined: Set<string>;
  /** Stanzas with bridge_ports: bridges. */
  bridges: Set<string>;
  auto: Set<string>;
  /** Every interfaces text, to spot a bridge made by a command (`up brctl addbr xenbr1`). */
  texts: string[];
  count: number;
}

function interfacesNames(model: HostModel): IfaceNames {
  const out: IfaceNames = { defined: new Set(), bridges: new Set(), auto: new Set(), texts: [], count: 0 };
  for (const f of model.files.values()) {
    if (f.role !== 'interfaces') continue;
    out.count++;
    out.texts.push(f.text);
    for (const st of f.ast.stanzas) {
      if (st.kind === 'iface' && st.nameText !== null) {
        out.defined.add(st.nameText);
        if (st.options.some((o) => o.nameText === 'bridge_ports' || o.nameText === 'bridge-ports')) out.bridges.add(st.nameText);
      } else if (st.kind === 'auto' || (st.kind === 'allow' && st.className === 'auto')) for (const n of st.names) out.auto.add(n.text);
    }
  }
  return out;
}

/**
 * A guest's vif joins a bridge (its `bridge=`, else xl's default xenbr0) that vif-bridge must
 * find: when no interfaces stanza of the host defines it, `brctl addif` fails ("Could not find
 * bridge device") and the guest has no network (xl does not start it). Only said when the host
 * has an interfaces file and nothing else makes bridges: xend's network-bridge creates its own,
 * and a bridge named in any command of the interfaces files may be made there.
 */
function checkVifBridges(model: HostModel, push: Push): void {
  const names = interfacesNames(model);
  if (names.count === 0) return;
  if (scriptMode(model.xend?.networkScript?.name) === 'bridged') return;
  const xlConf = [...model.files.values()].find((f) => f.role === 'xl-conf');
  let defaultBridge: string | undefined;
  if (xlConf && xlConf.role === 'xl-conf') {
    for (const st of xlConf.ast.statements) {
      if (st.kind === 'assignment' && st.key && (st.key.name === 'vif.default.bridge' || st.key.name === 'defaultbridge') && st.value?.kind === 'string')
        defaultBridge = st.value.value;
    }
  }
  // xm's vif-bridge takes the first bridge it finds when none is named: no default to check then
  if (!defaultBridge && !model.xend) defaultBridge = 'xenbr0';
  for (const g of model.guests) {
    // an xm file (Python) on a host without xend-config.sxp: xm's vif-bridge picks the first bridge
    const file = model.files.get(g.uri);
    const xmFile = file?.role === 'domain' && file.ast.usesPython;
    for (const v of g.vifs) {
      if (v.mode !== 'bridged' && v.mode !== 'unknown') continue;
      if (!v.bridge && xmFile && !xlConf) continue;
      if (v.mode === 'unknown' && model.mode.mode !== 'unknown' && model.mode.mode !== 'bridged') continue;
      const named = v.bridge?.value;
      let bridge = named ?? defaultBridge;
      if (!bridge || bridge.length > 15) continue;
      // vif-bridge's fallback for Xen 3.x names: a missing xenbrN becomes ethN when ethN is a bridge
      if (!names.defined.has(bridge) && bridge.startsWith('xenbr') && names.bridges.has('eth' + bridge.slice(5))) bridge = 'eth' + bridge.slice(5);
      const span = v.bridge?.valueSpan ?? v.span;
      if (!names.defined.has(bridge)) {
        if (names.texts.some((t) => t.includes(bridge))) continue;
        push(
          g.uri,
          span,
          error,
          'host/vif-bridge-missing',
          `${named ? `This vif joins bridge ${bridge}` : `This vif names no bridge, so xl puts it on ${bridge}`}, but no stanza of the host's interfaces files defines ${bridge}: vif-bridge cannot add the vif to it ("Could not find bridge device ${bridge}") and the guest gets no network. Add an \`iface ${bridge}\` bridge stanza (bridge_ports …) or name an existing bridge.`,
        );
      } else if (!names.auto.has(bridge)) {
        push(
          g.uri,
          span,
          warning,
          'host/vif-bridge-missing',
          `The bridge ${bridge} of this vif has a stanza in interfaces but no \`auto ${bridge}\`: it is not brought up at boot, so guests started before someone runs \`ifup ${bridge}\` get no network.`,
        );
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
            push(
              g.uri,
              ip.span,
              error,
              'host/guest-ip-outside-subnet',
              `${ip.address} is outside ${subnetWords(model)}: the host does not route it to this guest.`,
              free(),
              subnetPlace(model),
            );
            break;
          case 'network':
            push(
              g.uri,
              ip.span,
              error,
              'host/guest-ip-network',
              `${ip.address} is the network address of ${s.cidr}; a guest cannot use it.`,
              free(),
              subnetPlace(model),
            );
            break;
          case 'broadcast':
            push(
              g.uri,
              ip.span,
              error,
              'host/guest-ip-broadcast',
              `${ip.address} is the broadcast address of ${s.cidr}; a guest cannot use it.`,
              free(),
              subnetPlace(model),
            );
            break;
          case 'gateway':
            push(
              g.uri,
              ip.span,
              error,
              'host/guest-ip-gateway',
              `${ip.address} is the host's own address on ${gw!.interface}, the guests' gateway; give the guest another address.`,
              free(),
              gwRelated,
            );
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

  // the same address on two vifs (one vif listing it twice is one guest: vif-route adds the same
  // host route twice, which changes nothing)
  for (const [address, all] of vifUses) {
    if (all.length < 2) continue;
    const uses = all.filter((u, k) => all.findIndex((o) => o.vif === u.vif) === k);
    if (uses.length < 2) continue;
    for (const u of uses) {
      const others = uses.filter((o) => o !== u);
      const names = [
        ...new Set(others.map((o) => (o.guest.uri === u.guest.uri ? 'another vif of this guest' : (o.guest.name?.text ?? fileName(o.guest.uri))))),
      ];
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
          "This vif has no ip=, but the host routes: vif-route adds host routes only for the addresses listed in ip=, so the guest is unreachable. Add the guest's address.",
          { fix: 'add-ip', free: firstFree() },
          modeRelated(model),
        );
      }
      if (v.bridge && !v.script) {
        push(
          g.uri,
          v.bridge.span,
          warning,
          'host/bridge-in-routed',
          `This vif names bridge=${v.bridge.value ?? ''}, but the host routes (vif-route): no bridge is used and the setting is ignored.`,
          { fix: 'remove-vif-item', key: 'bridge' },
          modeRelated(model),
        );
      } else if (v.bridge && v.script) {
        push(
          g.uri,
          v.bridge.span,
          warning,
          'host/bridge-in-routed',
          `This vif names bridge=${v.bridge.value ?? ''}, but its script ${v.script.value} routes: no bridge is used and the setting is ignored.`,
          { fix: 'remove-vif-item', key: 'bridge' },
        );
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
      push(
        u.guest.uri,
        u.span,
        error,
        'host/duplicate-mac',
        `The MAC address ${mac} is also used by ${others.map((o) => o.guest.name?.text ?? fileName(o.guest.uri)).join(', ')}; two interfaces with one MAC on a network confuse switches and ARP.`,
        undefined,
        others.map((o) => ({ place: { uri: o.guest.uri, span: o.span }, message: `the same MAC in ${o.guest.name?.text ?? fileName(o.guest.uri)}` })),
      );
    }
  }
  for (const [name, gs] of names) {
    if (gs.length < 2) continue;
    for (const g of gs) {
      const others = gs.filter((o) => o !== g);
      push(
        g.uri,
        g.name!.span,
        error,
        'host/duplicate-name',
        `Another domain file also names its guest '${name}'; Xen refuses to start a second domain with the same name.`,
        undefined,
        others.map((o) => ({ place: { uri: o.uri, span: o.name!.span }, message: `name '${name}' in ${fileName(o.uri)}` })),
      );
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
          const why =
            verdict === 'outside' ? `outside ${subnetWords(model)}` : verdict === 'gateway' ? "the gateway's address" : `the ${verdict} address of ${s.cidr}`;
          push(
            g.uri,
            ip.span,
            warning,
            'host/xm-ip-mismatch',
            `The guest's ip ${ip.address} is ${why}.`,
            { fix: 'assign-address', free: firstFree() },
            subnetPlace(model),
          );
        } else if (vifIps.length && !vifIps.includes(ip.address)) {
          push(
            g.uri,
            ip.span,
            warning,
            'host/xm-ip-mismatch',
            `The guest's ip ${ip.address} is not among its vif's addresses (${vifIps.join(', ')}): the host routes those, not this one.`,
            { fix: 'set-value', value: vifIps[0] },
          );
        }
      }
      if (gateway && gw && gateway.address !== gw.address) {
        push(
          g.uri,
          gateway.span,
          warning,
          'host/xm-gateway-mismatch',
          `The guest's gateway ${gateway.address} is not the host's address ${gw.address} on ${gw.interface}, which routes the guests.`,
          { fix: 'set-value', value: gw.address },
          gwRelated,
        );
      }
      if (netmask && netmask.address !== s.netmask && netmask.address !== '255.255.255.255') {
        push(
          g.uri,
          netmask.span,
          warning,
          'host/xm-netmask-mismatch',
          `The guest's netmask ${netmask.address} does not match ${subnetWords(model)}, whose netmask is ${s.netmask}.`,
          { fix: 'set-value', value: s.netmask },
          subnetPlace(model),
        );
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
        push(
          g.uri,
          span,
          warning,
          'host/too-many-guests',
          `The host has ${routed.length} routed guests, but ${s.cidr} gives only ${capacity} address${capacity === 1 ? '' : 'es'}${gwInside ? ' after the gateway' : ''}: this guest is one too many.`,
          undefined,
          subnetPlace(model),
        );
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
  if (model.mode.source === 'xl-conf' && model.xlConf?.script)
    return [{ place: { uri: model.xlConf.uri, span: model.xlConf.script.span }, message: 'xl.conf makes vif-route the default' }];
  return [];
}

function fileName(uri: string): string {
  return uri.slice(uri.lastIndexOf('/') + 1) || uri;
}

// ---------------------------------------------------------------------------------------------
// xend-config.sxp and xl.conf

/**
 * The mode the host's other files point to: a gateway on a dummy interface and guests with
 * ip= mean routed; a bridge stanza (bridge_ports) and guests without ip= mean bridged.
 */
function hostEvidence(model: HostModel): { mode: Mode; why?: string } {
  const dummyGateway = model.gateway !== undefined && isDummyInterface(model.gateway.interface);
  let withIp = 0;
  let withoutIp = 0;
  for (const g of model.guests) {
    for (const v of g.vifs) {
      if (v.ips.length) withIp++;
      else withoutIp++;
    }
  }
  let bridges = 0;
  for (const f of model.files.values()) {
    if (f.role !== 'interfaces') continue;
    for (const st of f.ast.stanzas)
      if (st.kind === 'iface' && st.options.some((o) => o.nameText === 'bridge_ports' || o.nameText === 'bridge-ports')) bridges++;
  }
  const routed = (dummyGateway ? 2 : 0) + (withIp > 0 && withoutIp === 0 ? 1 : 0);
  const bridged = (bridges > 0 ? 2 : 0) + (withoutIp > 0 && withIp === 0 ? 1 : 0);
  if (routed > bridged) {
    const why = [dummyGateway ? `the gateway on ${model.gateway!.interface}` : '', withIp > 0 && withoutIp === 0 ? "the guests' ip=" : '']
      .filter(Boolean)
      .join(' and ');
    return { mode: 'routed', why: `as ${why} suggest${dummyGateway && withIp > 0 && withoutIp === 0 ? '' : 's'}` };
  }
  if (bridged > routed) return { mode: 'bridged', why: bridges > 0 ? 'as the bridge stanza in interfaces suggests' : 'as the guests without ip= suggest' };
  return { mode: 'unknown' };
}

function checkToolstack(model: HostModel, push: Push): void {
  const x = model.xend;
  const gw = model.gateway;
  if (x) {
    const n = x.networkScript;
    const v = x.vifScript;
    const nm = scriptMode(n?.name);
    const vm = scriptMode(v?.name);
    if (n && v && nm !== 'unknown' && vm !== 'unknown' && nm !== vm) {
      // which pair to offer first: what the rest of the host shows, not the vif script blindly
      const evidence = hostEvidence(model);
      const firstMode: Mode = evidence.mode === nm || evidence.mode === vm ? evidence.mode : vm;
      const secondMode: Mode = firstMode === vm ? nm : vm;
      const pair = PARTNER[firstMode]!;
      const other = PARTNER[secondMode];
      push(
        x.uri,
        v.nameSpan,
        error,
        'host/script-modes-differ',
        `vif-script ${v.name} is for ${MODE_WORD[vm]} networking, but network-script ${n.name} sets the host up for ${MODE_WORD[nm]} networking. Use a matching pair: ${pair.network} with ${pair.vif}${evidence.mode === firstMode && evidence.why ? ` (${evidence.why})` : ''}${other ? `, or ${other.network} with ${other.vif}` : ''}.`,
        {
          fix: 'set-script-pair',
          networkScript: pair.network,
          vifScript: pair.vif,
          ...(other ? { alternatives: [{ networkScript: other.network, vifScript: other.vif }] } : {}),
        },
        [{ place: { uri: x.uri, span: n.nameSpan }, message: `network-script ${n.name}` }],
      );
    }
    if (vm === 'routed' && gw && v) {
      const netdev = v.args.find((a) => a.key === 'netdev');
      const dev = netdev?.value || 'eth0';
      if (dev !== gw.interface) {
        const value = [v.name, ...v.args.filter((a) => a.key !== 'netdev').map((a) => a.text), `netdev=${gw.interface}`].join(' ');
        push(
          x.uri,
          netdev?.span ?? v.nameSpan,
          warning,
          'host/routed-netdev',
          `The guests' gateway ${gw.address} is on ${gw.interface}, but vif-route takes the host's address from ${netdev ? `netdev=${dev}` : 'eth0 (netdev not given)'}. Use (vif-script '${value}').`,
          { fix: 'set-vif-script', value },
          [{ place: gw.place, message: `the gateway ${gw.address} on ${gw.interface}` }],
        );
      }
    }
  }
  if (!x && gw && gw.interface !== 'eth0') {
    const xl = model.xlConf;
    const defaultDev = xl?.gatewaydev?.text;
    if (xl?.script && scriptMode(xl.script.text) === 'routed' && (defaultDev ?? 'eth0') !== gw.interface) {
      push(
        xl.uri,
        xl.gatewaydev?.span ?? xl.script.span,
        warning,
        'host/routed-gatewaydev',
        `The guests' gateway ${gw.address} is on ${gw.interface}, but vif-route takes the host's address from ${defaultDev ?? 'eth0 (no vif.default.gatewaydev)'}. Set vif.default.gatewaydev="${gw.interface}".`,
        { fix: 'set-xl-gatewaydev', value: gw.interface },
        [{ place: gw.place, message: `the gateway ${gw.address} on ${gw.interface}` }],
      );
    }
    for (const g of model.guests) {
      for (const v of g.vifs) {
        if (v.mode !== 'routed' || !v.script) continue;
        const dev = v.gatewaydev?.value ?? defaultDev ?? 'eth0';
        if (dev === gw.interface) continue;
        push(
          g.uri,
          v.gatewaydev?.span ?? v.script.span,
          warning,
          'host/routed-gatewaydev',
          `The guests' gateway ${gw.address} is on ${gw.interface}, but vif-route takes the host's address from ${v.gatewaydev ? `gatewaydev=${dev}` : `${dev} (gatewaydev not given)`}. Add gatewaydev=${gw.interface} to this vif.`,
          { fix: 'add-vif-item', key: 'gatewaydev', value: gw.interface },
          [{ place: gw.place, message: `the gateway ${gw.address} on ${gw.interface}` }],
        );
      }
    }
  }
  // xl runs no network script: nothing turns IP forwarding on unless the host's files do
  // (a sysctl file, or a command of an interfaces stanza). Shown on a network: without it the
  // guests reach dom0 and nothing past it (docs/network-proof.md).
  const xl = model.xlConf;
  if (!x && xl?.script && scriptMode(xl.script.text) === 'routed' && !model.forwarding?.on && !forwardingByInterfaces(model)) {
    const off = model.forwarding && !model.forwarding.on ? model.forwarding.place : undefined;
    push(
      xl.uri,
      xl.script.span,
      error,
      'host/xl-no-forwarding',
      `The host routes its guests with vif-route, but under xl no network script turns IP forwarding on (xend's network-route did)${off ? ', and a sysctl file turns it off' : ''}: the guests reach the host and nothing past it. Add net.ipv4.ip_forward = 1 to a file in /etc/sysctl.d/ (Xen: New Routed Network Setup writes etc/sysctl.d/xen-routed.conf).`,
      undefined,
      off ? [{ place: off, message: 'IP forwarding is turned off here' }] : [],
    );
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
  if (model.modules.some((m) => m.names.has(DUMMY_MODULE))) return;
  for (const f of model.files.values()) {
    if (f.role !== 'interfaces') continue;
    const seen = new Set<string>();
    for (const st of f.ast.stanzas) {
      if (st.kind !== 'iface' || !st.name) continue;
      const name = st.name.text;
      const linkDummy = st.options.some((o) => o.name.text === 'link-type' && o.value?.text === DUMMY_MODULE);
      if (!isDummyInterface(name) && !linkDummy) continue;
      if (seen.has(name)) continue;
      seen.add(name);
      // a stanza that loads the module itself
      if (st.options.some((o) => loadsDummy(o.value?.text ?? ''))) continue;
      const modules = model.modules[0];
      const root = hostRootKey(f.uri);
      const target = modules?.uri ?? (root !== undefined ? root + '/etc/modules' : undefined);
      const data: HostFixData = target ? { fix: 'add-module', module: 'dummy', uri: target } : { fix: 'add-module', module: 'dummy' };
      push(
        f.uri,
        st.name.span,
        model.modules.length ? warning : information,
        'host/dummy-module-missing',
        modules
          ? `${name} is a dummy interface, but /etc/modules does not load the dummy module: after a reboot ${name} does not exist and ifup fails. Add 'dummy' to /etc/modules.`
          : `${name} is a dummy interface: make sure the dummy module is loaded at boot (add 'dummy' to /etc/modules).`,
        data,
        modules ? [{ place: { uri: modules.uri, span: { start: 0, end: 0 } }, message: '/etc/modules lists no dummy' }] : [],
      );
    }
  }
}

/**
 * Whether a command line runs `modprobe … dummy` (the words, on one line): what the pattern
 * `\bmodprobe\b.*\bdummy\b` said, without its scan to the end of the line from every `modprobe`.
 */
export function loadsDummy(text: string): boolean {
  for (const line of text.split(/[\n\r\u2028\u2029]/)) {
    const m = /\bmodprobe\b/.exec(line);
    if (m && /\bdummy\b/.test(line.slice(m.index + m[0].length))) return true;
  }
  return false;
}
