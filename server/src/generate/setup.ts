// The generate commands as pure functions: the host's current files in (relative path -> text),
// the files that change out, with a summary in plain words. No editor, no file system.
//  - routedSetup: "Xen: New Routed Network Setup…" (interfaces stanza, /etc/modules, xend or xl
//    scripts, one domain file per guest with the next free address)
//  - switchMode: "Xen: Switch Network Mode" (bridged, routed, NAT; xend or xl)
//  - addGuest: "Xen: Add Guest" (a new domain file with the next free address of the routed block)
import { DEFAULT_GATEWAY_INTERFACE, DUMMY_MODULE, isDummyInterface } from '../core/network';
import { ensureForwarding } from '../formats/sysctl/edit';
import type { IPv4Subnet } from '../core/address';
import { buildHostFromParsed, inSubnet, parseHostFile, scriptMode, type HostModel, type ParsedHostFile } from '../host/model';
import { freeAddresses, freeInSubnet } from '../host/free';
import { languageOf } from '../formats/index';
import { setGatewayStanza } from '../formats/interfaces/edit';
import { ensureModule } from '../formats/modules/edit';
import { setXendScripts } from '../formats/sxp/edit';
import {
  domainName,
  newDomainFile,
  rewriteVifs,
  setGuestVif,
  setTopStrings,
  withItem,
  withoutItem,
  XM_KERNEL_IP_COMMENT,
  setXlConf,
  type VifItemText,
} from '../formats/domain/edit';
import { readBlock, validateAnswers, validateGuestName, validateInterfaceName } from './validate';
import {
  PATHS,
  type FileChange,
  type GenerateError,
  type GenerateResult,
  type HostTexts,
  type NetworkMode,
  type RoutedAnswers,
  type ToolstackChoice,
} from './types';

/**
 * The host as the generators read it: its files by their path on the host without the leading
 * slash (`etc/network/interfaces`), and its model under given options, built from the files'
 * one parse (the server hands over its host snapshot: features/generate.ts).
 */
export interface GenerateInput {
  readonly texts: HostTexts;
  /** The host model of the files under these options. */
  model(options: { routedSubnet?: string; gatewayInterface?: string }): HostModel;
  /** The path (as a key of texts) of a file of the model, from its uri. */
  pathOf(uri: string): string | undefined;
}

const INPUT = Symbol('generate input');

/** A GenerateInput from its parts (marked, so that the generators tell it from a bare HostTexts). */
export function generateInput(texts: HostTexts, parsed: ParsedHostFile[], pathOf: (uri: string) => string | undefined): GenerateInput {
  return { [INPUT]: true, texts, model: (options) => buildHostFromParsed(parsed, options), pathOf } as GenerateInput;
}

/** The input of bare texts (tests, the command line): each file parsed once, known by its path. */
export function inputOf(files: HostTexts | GenerateInput): GenerateInput {
  if (files && (files as { [INPUT]?: boolean })[INPUT]) return files as GenerateInput;
  const texts = (files ?? {}) as HostTexts;
  const parsed: ParsedHostFile[] = [];
  for (const [path, text] of Object.entries(texts)) {
    if (typeof text !== 'string') continue;
    const p = parseHostFile({ uri: path, languageId: languageOf(path) ?? 'plaintext', text });
    if (p) parsed.push(p);
  }
  return generateInput(texts, parsed, (uri) => uri);
}

/** Collects the new texts; `changes()` lists only the files whose text differs. */
class Writer {
  private readonly next = new Map<string, string>();
  constructor(private readonly files: HostTexts) {}
  text(path: string): string | undefined {
    return this.next.has(path) ? this.next.get(path) : typeof this.files[path] === 'string' ? this.files[path] : undefined;
  }
  set(path: string, text: string): void {
    this.next.set(path, text);
  }
  changes(): FileChange[] {
    const out: FileChange[] = [];
    for (const [path, newText] of this.next) {
      const old = typeof this.files[path] === 'string' ? this.files[path] : undefined;
      if (old === newText) continue;
      out.push(old === undefined ? { path, newText } : { path, oldText: old, newText });
    }
    return out.sort((a, b) => a.path.localeCompare(b.path));
  }
}

const VIF_SCRIPT: Record<NetworkMode, string> = { routed: 'vif-route', bridged: 'vif-bridge', nat: 'vif-nat' };
const NETWORK_SCRIPT: Record<NetworkMode, string> = { routed: 'network-route', bridged: 'network-bridge', nat: 'network-nat' };

/** xend's vif-script for a mode: vif-route names the gateway's device unless it is eth0 (its default). */
function xendVifScript(mode: NetworkMode, gatewayInterface: string | undefined): string {
  return mode === 'routed' && gatewayInterface && gatewayInterface !== 'eth0' ? `vif-route netdev=${gatewayInterface}` : VIF_SCRIPT[mode];
}

/** The vif edits of a mode: a vif's own script= follows the mode; routed vifs drop bridge=. */
function modeVifEdit(mode: NetworkMode, gatewayInterface: string | undefined, toolstack: ToolstackChoice): (items: VifItemText[]) => VifItemText[] {
  return (items) => {
    let out = items;
    const script = out.find((i) => i.key === 'script');
    if (script?.value !== undefined && scriptMode(script.value) !== 'unknown' && scriptMode(script.value) !== mode)
      out = withItem(out, 'script', VIF_SCRIPT[mode]);
    if (mode === 'routed') {
      out = withoutItem(out, 'bridge');
      // xl reads gatewaydev per vif; xm refuses the key, so it is only corrected where it is
      if (gatewayInterface && toolstack === 'xl' && out.some((i) => i.key === 'script') && out.some((i) => i.key === 'gatewaydev' || i.key === 'netdev')) {
        out = withItem(withoutItem(out, 'netdev'), 'gatewaydev', gatewayInterface);
      } else if (gatewayInterface && toolstack === 'xl' && out.some((i) => i.key === 'script') && gatewayInterface !== 'eth0') {
        out = withItem(out, 'gatewaydev', gatewayInterface);
      }
    }
    return out;
  };
}

// ---------------------------------------------------------------------------------------------
// New routed setup

interface GuestPlan {
  name: string;
  path: string;
  exists: boolean;
  address?: string;
}

/** Where each guest's file is and which address it keeps, and how many addresses are free for the others. */
function planGuests(
  model: HostModel,
  files: HostTexts,
  pathOfUri: (uri: string) => string,
  block: IPv4Subnet,
  gateway: string,
  names: string[],
): { plans: GuestPlan[]; free: string[]; error?: string } {
  const plans: GuestPlan[] = [];
  const byName = new Map<string, string>();
  for (const g of model.guests) if (g.name && !byName.has(g.name.text)) byName.set(g.name.text, pathOfUri(g.uri));
  for (const name of names) {
    const known = byName.get(name);
    const path = known ?? PATHS.domain(name);
    const text = files[path];
    if (!known && typeof text === 'string') {
      const other = domainName(text);
      if (other !== undefined && other !== name)
        return { plans, free: [], error: `${path} already holds the guest '${other}'; pick another name for this guest or rename that file.` };
    }
    plans.push({ name, path, exists: typeof text === 'string' });
  }
  const mine = new Set(plans.map((p) => p.path));
  // addresses held by anything but the listed guests
  const taken = new Set<string>([gateway]);
  for (const [address, uses] of model.addresses) {
    if (
      uses.some(
        (u) => (u.role === 'interface-address' && !(address === gateway)) || ((u.role === 'guest-vif' || u.role === 'guest-ip') && !mine.has(pathOfUri(u.uri))),
      )
    )
      taken.add(address);
  }
  // a listed guest keeps its address when it is a usable one of the block that nobody else holds
  const usable = (a: string) => inSubnet(block, a) && a !== block.network && a !== block.broadcast;
  for (const p of plans) {
    const g = model.guests.find((x) => pathOfUri(x.uri) === p.path);
    const current = g?.vifs[0]?.ips[0]?.address ?? g?.top.ip?.address;
    if (current && usable(current) && !taken.has(current)) {
      p.address = current;
      taken.add(current);
    }
  }
  const free = freeInSubnet(block, taken, 4096).addresses;
  let i = 0;
  for (const p of plans) if (!p.address && i < free.length) p.address = free[i++];
  return { plans, free: free.slice(i) };
}

/** "Xen: New Routed Network Setup…": the files to write, or why the answers cannot be used. */
export function routedSetup(files: HostTexts | GenerateInput, answers: RoutedAnswers): GenerateResult | GenerateError {
  try {
    return routedSetupUnsafe(inputOf(files), answers);
  } catch (e) {
    return { error: `The setup could not be computed (${e instanceof Error ? e.message : String(e)}).` };
  }
}

function routedSetupUnsafe(input: GenerateInput, raw: RoutedAnswers): GenerateResult | GenerateError {
  const files = input.texts;
  const pathOfUri = (uri: string): string => input.pathOf(uri) ?? uri;
  const problem = validateAnswers(raw, Number.MAX_SAFE_INTEGER);
  if (problem) return { error: problem.message, field: problem.field };
  const block = readBlock(raw.cidr)!;
  const cidr = `${block.network}/${block.prefix}`;
  const gwIf = (raw.gatewayInterface ?? DEFAULT_GATEWAY_INTERFACE).trim();
  const gwAddr = (raw.gatewayAddress ?? block.firstUsable).trim();
  const toolstack = raw.toolstack;
  const names = (raw.guests ?? []).map((n) => n.trim());
  const model = input.model({ routedSubnet: cidr, gatewayInterface: gwIf });
  // the gateway's address must not be another interface's, nor a guest's that is not being re-addressed
  const holders = model.addresses.get(gwAddr) ?? [];
  const otherIface = model.interfaces.find((i) => i.name !== gwIf && i.address?.text === gwAddr);
  if (otherIface)
    return {
      error: `${gwAddr} is already the address of ${otherIface.name} in etc/network/interfaces; give ${gwIf} another address of the block.`,
      field: 'gatewayAddress',
    };
  const guestHolder = holders.find(
    (u) => (u.role === 'guest-vif' || u.role === 'guest-ip') && !names.includes(model.guests.find((g) => g.uri === u.uri)?.name?.text ?? ''),
  );
  if (guestHolder)
    return {
      error: `${gwAddr} is the address of the guest in ${pathOfUri(guestHolder.uri)}; give the gateway another address of the block.`,
      field: 'gatewayAddress',
    };
  const plan = planGuests(model, files, pathOfUri, block, gwAddr, names);
  if (plan.error) return { error: plan.error, field: 'guests' };
  const unplaced = plan.plans.filter((p) => !p.address);
  if (unplaced.length) {
    const placed = plan.plans.length - unplaced.length;
    return {
      error: `${names.length} guests but only ${placed} free address${placed === 1 ? '' : 'es'} in ${cidr} after the gateway and the addresses in use: use a larger block or fewer guests.`,
      field: 'guests',
    };
  }

  const w = new Writer(files);
  const summary: string[] = [];
  const tag = 'written by "Xen: New Routed Network Setup"';
  // interfaces: the gateway's stanza is edited in the file that has it (a file of interfaces.d/
  // that interfaces sources), else written in interfaces
  const stanzaFile = model.interfaces.find((i) => i.name === gwIf && i.stanza.familyText === 'inet');
  const ifPath = stanzaFile && typeof files[pathOfUri(stanzaFile.uri)] === 'string' ? pathOfUri(stanzaFile.uri) : PATHS.interfaces;
  // (an `auto` line for it in another of the files is enough)
  const autoElsewhere = [...model.files.values()].some(
    (p) =>
      p.role === 'interfaces' &&
      pathOfUri(p.uri) !== ifPath &&
      p.ast.stanzas.some((s) => (s.kind === 'auto' || s.kind === 'allow') && s.names.some((n) => n.text === gwIf)),
  );
  w.set(
    ifPath,
    setGatewayStanza(
      w.text(ifPath),
      { iface: gwIf, address: gwAddr, netmask: block.netmask, broadcast: block.broadcast },
      [`The routed block ${cidr}: the host keeps ${gwAddr} on ${gwIf} as the guests' gateway.`],
      autoElsewhere,
    ),
  );
  summary.push(`${ifPath}: ${gwIf} holds the gateway ${gwAddr} (netmask ${block.netmask}, broadcast ${block.broadcast}).`);
  // modules
  if (isDummyInterface(gwIf)) {
    w.set(PATHS.modules, ensureModule(w.text(PATHS.modules), DUMMY_MODULE, [`${gwIf} is a dummy interface: load the dummy module at boot.`]));
    summary.push(`${PATHS.modules}: loads the dummy module, so ${gwIf} exists at boot.`);
  }
  // toolstack
  if (toolstack === 'xend') {
    const vif = xendVifScript('routed', gwIf);
    w.set(
      PATHS.xend,
      setXendScripts(w.text(PATHS.xend), { networkScript: 'network-route', vifScript: vif }, [
        `Routed networking (${tag}): network-route turns on IP forwarding,`,
        `vif-route adds a route to each guest's address${vif.includes('netdev=') ? `; netdev=${gwIf} is where the gateway address lives` : ''}.`,
      ]),
    );
    summary.push(`${PATHS.xend}: (network-script network-route) and (vif-script ${vif.includes(' ') ? `'${vif}'` : vif}).`);
  } else {
    w.set(
      PATHS.xl,
      setXlConf(
        w.text(PATHS.xl),
        [
          ['vif.default.script', 'vif-route'],
          ['vif.default.gatewaydev', gwIf],
        ],
        [`Routed networking (${tag}): every vif uses vif-route, which takes`, `the host's address from ${gwIf}.`],
      ),
    );
    summary.push(`${PATHS.xl}: vif.default.script="vif-route" and vif.default.gatewaydev="${gwIf}".`);
    w.set(PATHS.sysctl, ensureForwarding(w.text(PATHS.sysctl)));
    summary.push(`${PATHS.sysctl}: net.ipv4.ip_forward = 1 (xl runs no network script to turn forwarding on).`);
    if (typeof files[PATHS.xend] === 'string')
      summary.push(`${PATHS.xend} is left as it is: xl does not read it (while it exists, the checks take the host's mode from it).`);
  }
  // guests
  const addresses: Record<string, string> = {};
  const edit = modeVifEdit('routed', gwIf, toolstack);
  for (const p of plan.plans) {
    const address = p.address!;
    addresses[p.name] = address;
    const current = w.text(p.path);
    if (current === undefined) {
      w.set(p.path, newDomainFile(p.name, { address, netmask: block.netmask, gateway: gwAddr, toolstack }, cidr));
      summary.push(`${p.path}: new guest ${p.name} at ${address}.`);
      continue;
    }
    let text = setGuestVif(current, address, edit);
    const top: [string, string][] = [
      ['ip', address],
      ['netmask', block.netmask],
      ['gateway', gwAddr],
    ];
    if (toolstack === 'xend') text = setTopStrings(text, top, XM_KERNEL_IP_COMMENT);
    else {
      // xl ignores these keys: they are not added, but ones already there are kept right
      const g = model.guests.find((x) => pathOfUri(x.uri) === p.path);
      const present = top.filter(([k]) => g?.top[k as 'ip'] !== undefined);
      if (present.length) text = setTopStrings(text, present);
    }
    w.set(p.path, text);
    summary.push(`${p.path}: guest ${p.name} at ${address}${text === current ? ' (already so)' : ''}.`);
  }
  const left = plan.free.length;
  summary.push(`${left} address${left === 1 ? '' : 'es'} of ${cidr} left for more guests.`);
  return { changes: w.changes(), summary, addresses };
}

// ---------------------------------------------------------------------------------------------
// Switch network mode

export interface SwitchOptions {
  mode: NetworkMode;
  /** Default: xend when etc/xen/xend-config.sxp exists, else xl when etc/xen/xl.conf does. */
  toolstack?: ToolstackChoice;
  /** For routed: the interface holding the guests' gateway (default: the host's, else dummy0). */
  gatewayInterface?: string;
  /** The `xen.network.routedSubnet` setting, if any. */
  routedSubnet?: string;
}

export function detectToolstack(input: HostTexts | GenerateInput): ToolstackChoice | undefined {
  const files = input && (input as { [INPUT]?: boolean })[INPUT] ? (input as GenerateInput).texts : ((input ?? {}) as HostTexts);
  if (typeof files[PATHS.xend] === 'string') return 'xend';
  if (typeof files[PATHS.xl] === 'string') return 'xl';
  return undefined;
}

/** "Xen: Switch Network Mode": the toolstack's scripts and the guests' own vif scripts follow the mode. */
export function switchMode(files: HostTexts | GenerateInput, options: SwitchOptions): GenerateResult | GenerateError {
  try {
    return switchModeUnsafe(inputOf(files), options);
  } catch (e) {
    return { error: `The switch could not be computed (${e instanceof Error ? e.message : String(e)}).` };
  }
}

function switchModeUnsafe(input: GenerateInput, o: SwitchOptions): GenerateResult | GenerateError {
  const files = input.texts;
  const pathOfUri = (uri: string): string => input.pathOf(uri) ?? uri;
  const mode = o?.mode;
  if (mode !== 'routed' && mode !== 'bridged' && mode !== 'nat') return { error: "The mode is 'routed', 'bridged' or 'nat'.", field: 'mode' };
  const toolstack = o.toolstack ?? detectToolstack(files);
  if (toolstack !== 'xend' && toolstack !== 'xl') {
    return { error: 'This host has neither etc/xen/xend-config.sxp nor etc/xen/xl.conf: say which toolstack (xend or xl) runs it.', field: 'toolstack' };
  }
  if (o.gatewayInterface !== undefined) {
    const m = validateInterfaceName(o.gatewayInterface);
    if (m) return { error: m, field: 'gatewayInterface' };
  }
  const model = input.model({ routedSubnet: o.routedSubnet, gatewayInterface: o.gatewayInterface });
  let gwIf: string | undefined;
  if (mode === 'routed') {
    if (!model.subnet || !model.gateway) {
      return {
        error: 'No routed block is known for this host (no address on the gateway interface in etc/network/interfaces): run "New Routed Network Setup" first.',
        field: 'mode',
      };
    }
    gwIf = model.gateway.interface;
  }
  const w = new Writer(files);
  const summary: string[] = [];
  if (toolstack === 'xend') {
    const vif = xendVifScript(mode, gwIf);
    w.set(
      PATHS.xend,
      setXendScripts(w.text(PATHS.xend), { networkScript: NETWORK_SCRIPT[mode], vifScript: vif }, [
        `${mode[0].toUpperCase()}${mode.slice(1)} networking (written by "Xen: Switch Network Mode").`,
      ]),
    );
    summary.push(`${PATHS.xend}: (network-script ${NETWORK_SCRIPT[mode]}) and (vif-script ${vif.includes(' ') ? `'${vif}'` : vif}).`);
  } else {
    const entries: [string, string][] = [['vif.default.script', VIF_SCRIPT[mode]]];
    if (gwIf) entries.push(['vif.default.gatewaydev', gwIf]);
    w.set(PATHS.xl, setXlConf(w.text(PATHS.xl), entries, [`${mode[0].toUpperCase()}${mode.slice(1)} networking (written by "Xen: Switch Network Mode").`]));
    summary.push(`${PATHS.xl}: ${entries.map(([k, v]) => `${k}="${v}"`).join(' and ')}.`);
    if (mode === 'routed') {
      w.set(PATHS.sysctl, ensureForwarding(w.text(PATHS.sysctl)));
      summary.push(`${PATHS.sysctl}: net.ipv4.ip_forward = 1 (xl runs no network script to turn forwarding on).`);
    }
    if (mode === 'bridged')
      summary.push('xl does not create bridges: the bridge (xenbr0 by default) must be a stanza of etc/network/interfaces with bridge_ports.');
    if (mode === 'nat') summary.push('xl runs no network script: IP forwarding and the NAT rule (iptables MASQUERADE) must be set up on the host.');
  }
  if (mode === 'routed' && gwIf && isDummyInterface(gwIf)) {
    const before = w.text(PATHS.modules);
    w.set(PATHS.modules, ensureModule(before, DUMMY_MODULE, [`${gwIf} is a dummy interface: load the dummy module at boot.`]));
  }
  // the guests' own vif scripts follow; routed vifs without an address get a free one
  const free = mode === 'routed' ? freeAddresses(model, { limit: 4096 }).addresses : [];
  const edit = modeVifEdit(mode, gwIf, toolstack);
  for (const g of [...model.guests].sort((a, b) => a.uri.localeCompare(b.uri))) {
    const path = pathOfUri(g.uri);
    const before = w.text(path);
    if (before === undefined) continue;
    const after = rewriteVifs(before, (items) => {
      let out = edit(items);
      if (mode === 'routed' && !out.some((i) => i.key === 'ip') && free.length) out = withItem(out, 'ip', free.shift()!);
      return out;
    });
    if (after !== before) {
      w.set(path, after);
      summary.push(`${path}: vif follows ${mode} mode.`);
    }
  }
  return { changes: w.changes(), summary };
}

// ---------------------------------------------------------------------------------------------
// Add guest

export interface AddGuestOptions {
  name: string;
  /** Default: the first free address of the routed block. */
  address?: string;
  toolstack?: ToolstackChoice;
  routedSubnet?: string;
  gatewayInterface?: string;
}

/** "Xen: Add Guest": a new domain file etc/xen/NAME.cfg with a free address of the routed block. */
export function addGuest(files: HostTexts | GenerateInput, options: AddGuestOptions): GenerateResult | GenerateError {
  try {
    return addGuestUnsafe(inputOf(files), options);
  } catch (e) {
    return { error: `The guest could not be added (${e instanceof Error ? e.message : String(e)}).` };
  }
}

function addGuestUnsafe(input: GenerateInput, o: AddGuestOptions): GenerateResult | GenerateError {
  const files = input.texts;
  const nameProblem = validateGuestName(o?.name);
  if (nameProblem) return { error: nameProblem, field: 'name' };
  const name = o.name.trim();
  const model = input.model({ routedSubnet: o.routedSubnet, gatewayInterface: o.gatewayInterface });
  const s = model.subnet;
  if (!s || !model.gateway)
    return {
      error: 'No routed block is known for this host (no address on the gateway interface in etc/network/interfaces): run "New Routed Network Setup" first.',
      field: 'name',
    };
  const path = PATHS.domain(name);
  if (model.guests.some((g) => g.name?.text === name))
    return { error: `A guest named '${name}' exists already; each guest needs a name of its own.`, field: 'name' };
  if (typeof files[path] === 'string') return { error: `${path} exists already; pick another name.`, field: 'name' };
  const free = freeAddresses(model, { limit: 1 << 16 });
  let address = o.address?.trim();
  if (address) {
    if (!free.addresses.includes(address)) {
      const why = !inSubnet(s, address)
        ? `is outside ${s.cidr}`
        : address === model.gateway.address
          ? "is the guests' gateway"
          : address === s.network || address === s.broadcast
            ? `is the ${address === s.network ? 'network' : 'broadcast'} address of ${s.cidr}`
            : 'is in use';
      return { error: `${address} ${why}.${free.addresses.length ? ` The next free address is ${free.addresses[0]}.` : ''}`, field: 'address' };
    }
  } else {
    if (!free.addresses.length) return { error: `No address of ${s.cidr} is free: every usable one is the gateway's or a guest's.`, field: 'name' };
    address = free.addresses[0];
  }
  const toolstack: ToolstackChoice =
    o.toolstack ?? (model.mode.toolstack === 'xend' ? 'xend' : model.mode.toolstack === 'xl' ? 'xl' : (detectToolstack(files) ?? 'xl'));
  // under xl the vif names its script and gateway device itself unless xl.conf makes vif-route the default
  const xlDefault = model.xlConf?.script && scriptMode(model.xlConf.script.text) === 'routed';
  const vifExtra: VifItemText[] =
    toolstack === 'xl' && !xlDefault && !(model.mode.source === 'xend' && model.mode.mode === 'routed')
      ? [{ key: 'script', value: 'vif-route' }, ...(model.gateway.interface !== 'eth0' ? [{ key: 'gatewaydev', value: model.gateway.interface }] : [])]
      : [];
  const w = new Writer(files);
  w.set(path, newDomainFile(name, { address, netmask: s.netmask, gateway: model.gateway.address, toolstack, vifExtra }, s.cidr));
  const left = free.count - 1;
  return {
    changes: w.changes(),
    summary: [`${path}: new guest ${name} at ${address}.`, `${left} address${left === 1 ? '' : 'es'} of ${s.cidr} left.`],
    addresses: { [name]: address },
  };
}
