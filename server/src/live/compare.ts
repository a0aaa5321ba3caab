// Where the running host disagrees with its files: the host model (host/model.ts, built from the
// files) beside what the host says now (state.ts). Each disagreement is a finding placed on the
// line of the file concerned: the gateway's address line in interfaces, the guest's vif ip, the
// sysctl line (or xend's network-script) that turns forwarding on, the /etc/modules line.
//
// Severity follows the house rule (docs/diagnostics.md): an error when the network is broken now
// (no gateway interface, no gateway address, forwarding off, a running guest without its route);
// a warning when it works but not as the files say (dummy0 set down: the network test's pings all
// pass, vif-route's /32 routes carry the guests).
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { Span } from '../core/text';
import { DUMMY_MODULE } from '../core/network';
import { scriptMode, type Guest, type GuestVif, type HostModel } from '../host/model';
import { hostRouteAddress, type LiveRoute } from './parse';
import type { LiveState } from './state';

export type LiveCode =
  | 'live/gateway-interface-missing'
  | 'live/gateway-interface-down'
  | 'live/gateway-address-missing'
  | 'live/gateway-prefix-differs'
  | 'live/guest-route-missing'
  | 'live/vif-address-mismatch'
  | 'live/forwarding-off'
  | 'live/module-not-loaded';

export interface LiveFinding {
  uri: string;
  span: Span;
  code: LiveCode;
  severity: DiagnosticSeverity;
  message: string;
}

export interface LiveComparison {
  findings: LiveFinding[];
  /** What was seen but belongs to no line (a guest not running, what could not be read). */
  notes: string[];
}

/** The most findings of one comparison (a hostile host could list any number of routes). */
export const MAX_LIVE_FINDINGS = 500;

const E = DiagnosticSeverity.Error;
const W = DiagnosticSeverity.Warning;

function guestName(g: Guest): string {
  return g.name?.text ?? g.uri.slice(g.uri.lastIndexOf('/') + 1);
}

/** Compares the host's files (its model) with the running host. Pure; never throws on any state. */
export function compareLive(model: HostModel, live: LiveState): LiveComparison {
  const findings: LiveFinding[] = [];
  const notes = [...live.notes];
  const add = (f: LiveFinding): void => {
    if (findings.length < MAX_LIVE_FINDINGS) findings.push(f);
  };

  // the gateway interface (dummy0) and its address
  const gw = model.gateway;
  const gwIface = gw && live.interfacesRead ? live.interfaces.get(gw.interface) : undefined;
  if (gw && live.interfacesRead) {
    const { uri, span } = gw.place;
    if (!gwIface) {
      add({
        uri,
        span,
        code: 'live/gateway-interface-missing',
        severity: E,
        message: `${gw.interface} does not exist on the running host: the guests' gateway ${gw.address} is nowhere (bring it up: ifup ${gw.interface})`,
      });
    } else {
      const down = gwIface.adminUp === false || (gwIface.adminUp === undefined && gwIface.state === 'DOWN');
      if (down) {
        add({
          uri,
          span,
          code: 'live/gateway-interface-down',
          severity: W,
          message: `${gw.interface} is down on the running host (state ${gwIface.state}): its route to the routed block went with it; the guests' own routes still carry them, but the host is not as its files leave it (ifup ${gw.interface}, or ip link set ${gw.interface} up)`,
        });
      }
      const held = gwIface.addresses.find((a) => a.address === gw.address);
      const info = model.interfaces.find((i) => i.name === gw.interface && i.address?.text === gw.address);
      if (!held) {
        const has = gwIface.addresses.map((a) => `${a.address}/${a.prefix}`).join(', ') || 'no IPv4 address';
        add({
          uri,
          span,
          code: 'live/gateway-address-missing',
          severity: E,
          message: `${gw.interface} on the running host holds ${has}, not the guests' gateway ${gw.address} that this line gives it (ifdown ${gw.interface}; ifup ${gw.interface})`,
        });
      } else if (info?.prefix !== undefined && held.prefix !== info.prefix) {
        add({
          uri,
          span,
          code: 'live/gateway-prefix-differs',
          severity: W,
          message: `${gw.interface} on the running host holds ${gw.address}/${held.prefix}, the files say /${info.prefix} (ifdown ${gw.interface}; ifup ${gw.interface})`,
        });
      }
    }
  }

  // the dummy module, where /etc/modules loads it
  if (live.modules && !live.modules.has(DUMMY_MODULE)) {
    for (const f of model.files.values()) {
      if (f.role !== 'modules') continue;
      const line = f.ast.modules.find((m) => m.name.replace(/-/g, '_') === DUMMY_MODULE);
      if (!line) continue;
      const noGateway = !!gw && live.interfacesRead && !gwIface;
      add({
        uri: f.uri,
        span: line.nameSpan,
        code: 'live/module-not-loaded',
        severity: noGateway ? E : W,
        message: noGateway
          ? `the ${DUMMY_MODULE} module is not loaded on the running host, and ${gw!.interface} is missing with it (modprobe ${DUMMY_MODULE}; ifup ${gw!.interface})`
          : `the ${DUMMY_MODULE} module is not loaded on the running host (modprobe ${DUMMY_MODULE}); this line loads it at the next boot`,
      });
      break;
    }
  }

  // forwarding
  if (live.forwarding === false) {
    if (model.forwarding?.on) {
      add({
        uri: model.forwarding.place.uri,
        span: model.forwarding.place.span,
        code: 'live/forwarding-off',
        severity: E,
        message:
          'IP forwarding is off on the running host (net.ipv4.ip_forward = 0) though this line turns it on: the guests reach the host and nothing past it (sysctl -p FILE, or sysctl -w net.ipv4.ip_forward=1)',
      });
    } else if (model.xend?.networkScriptSpan && ['routed', 'nat'].includes(scriptMode(model.xend.networkScript?.name))) {
      add({
        uri: model.xend.uri,
        span: model.xend.networkScriptSpan,
        code: 'live/forwarding-off',
        severity: E,
        message: `IP forwarding is off on the running host (net.ipv4.ip_forward = 0), though ${model.xend.networkScript?.name} turns it on when xend starts: the guests reach the host and nothing past it (restart xend, or sysctl -w net.ipv4.ip_forward=1)`,
      });
    }
  }

  // the guests' routes (vif-route: ip route add IP dev vifD.N), and each vif's address
  if (live.routesRead) compareRoutes(model, live, add, notes);
  return { findings, notes };
}

function compareRoutes(model: HostModel, live: LiveState, add: (f: LiveFinding) => void, notes: string[]): void {
  const byAddress = new Map<string, LiveRoute[]>();
  const byDev = new Map<string, string[]>();
  for (const r of live.routes) {
    if (r.type !== 'unicast') continue;
    const a = hostRouteAddress(r.dest);
    if (a === undefined) continue;
    let l = byAddress.get(a);
    if (!l) byAddress.set(a, (l = []));
    l.push(r);
    if (r.dev) {
      let d = byDev.get(r.dev);
      if (!d) byDev.set(r.dev, (d = []));
      d.push(a);
    }
  }
  const vifs = live.interfacesRead ? [...live.interfaces.keys()].filter((n) => n.startsWith('vif')) : [];
  const xl = live.xl.state === 'ok' ? live.xl.domains : undefined;
  // without xl: a vif that routes nothing means a running guest lost its route
  const bare = vifs.filter((n) => !byDev.has(n));
  if (!xl && live.interfacesRead && vifs.length === 0) {
    notes.push('no vif interface on the running host: no guest seems to run, so their routes were not looked for');
    return;
  }
  for (const g of model.guests) {
    const routedVifs = g.vifs.filter((v) => v.mode === 'routed' && v.ips.length);
    if (!routedVifs.length) continue;
    const name = guestName(g);
    const dom = xl?.find((d) => d.name === g.name?.text);
    if (xl && !dom) {
      notes.push(`${name} is not running (xl list): its routes were not looked for`);
      continue;
    }
    for (const v of routedVifs) {
      const dev = dom ? expectedVif(dom, v) : undefined;
      for (const a of v.ips) {
        const routes = byAddress.get(a.address) ?? [];
        const onDev = dev === undefined ? routes : routes.filter((r) => r.dev === dev);
        if (dev !== undefined) {
          const carried = byDev.get(dev) ?? [];
          if (!onDev.length && (carried.length || routes.length)) {
            const what = carried.length ? `${dev} carries ${carried.slice(0, 4).join(', ')}` : `${dev} carries no address`;
            const elsewhere = routes.length ? `; the host routes ${a.address} to ${routes[0].dev ?? routes[0].dest}` : '';
            add({
              uri: g.uri,
              span: a.span,
              code: 'live/vif-address-mismatch',
              severity: W,
              message: `${name} runs (domain ${dom!.id}) and its vif ${dev} is not at ${a.address} as this file says: ${what}${elsewhere}. The guest was started from another file, or the file changed since (restart the guest)`,
            });
            continue;
          }
        }
        if (routes.length) continue;
        const sure = dom !== undefined || bare.length > 0;
        const why = dom
          ? `${name} runs (domain ${dom.id}, ${dev})`
          : bare.length
            ? `${bare.slice(0, 4).join(', ')} on the running host ${bare.length === 1 ? 'routes' : 'route'} no address (xl did not say which guest runs where)`
            : `if ${name} runs (xl did not say)`;
        add({
          uri: g.uri,
          span: a.span,
          code: 'live/guest-route-missing',
          severity: sure ? E : W,
          message: `${why}, and the host has no route to ${a.address}: the guest is cut off (vif-route adds it: ip route add ${a.address} dev ${dev ?? 'vifD.N'})`,
        });
      }
    }
  }
}

function expectedVif(dom: { id: number; vifs: { name: string; idx: number }[] }, v: GuestVif): string {
  return dom.vifs.find((x) => x.idx === v.index)?.name ?? `vif${dom.id}.${v.index}`;
}
