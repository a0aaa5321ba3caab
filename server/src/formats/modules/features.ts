// /etc/modules and modules-load.d in the editor: outline, folding, hover, completion.
import {
  CompletionItemKind,
  FoldingRangeKind,
  MarkupKind,
  SymbolKind,
  type CompletionItem,
  type DocumentSymbol,
  type FoldingRange,
  type Hover,
  type Position,
} from 'vscode-languageserver-types';
import type { ParsedDocument } from '../../core/language';
import type { ModulesFile } from './ast';
import { canonicalModuleName } from './parser';

type ModulesDocument = ParsedDocument<ModulesFile>;

/** Modules that matter when wiring a Xen host to its network, in our words. */
export const WELL_KNOWN_MODULES: Record<string, string> = {
  dummy:
    'Creates dummy network interfaces (dummy0, …) that are always up and send nothing. A routed Xen host can keep its public gateway address on dummy0, so that address does not depend on a physical link.',
  loop: 'Loop block devices: lets a file be used as a disk, the usual way to back guests with image files under xm. Its max_loop parameter raises the number of loop devices.',
  bridge:
    'Ethernet bridging: joins interfaces into one switch-like segment, as network-bridge and vif-bridge (or bridge_ports in /etc/network/interfaces) need.',
  '8021q': 'IEEE 802.1Q VLANs: lets interfaces such as eth0.10 carry tagged traffic for a VLAN.',
  bonding: 'Bonds several network interfaces into one for failover or more bandwidth.',
  tun: 'TUN/TAP virtual interfaces, used by VPNs and by qemu for emulated guest network cards.',
  'xen-netback': "The back half of Xen's paravirtual network: runs in dom0 and creates a vifD.N interface for each guest network card.",
  'xen-netfront': "The front half of Xen's paravirtual network: the network card driver inside a guest.",
  netloop: 'Xen 3.x: the loopback interfaces (vethN/vifN.0 pairs) network-bridge used to give dom0 a port on the bridge.',
  'xen-blkback': "The back half of Xen's paravirtual disks, in dom0.",
  'xen-evtchn': 'Xen event channels for programs in dom0; the toolstack needs it.',
  'xen-gntdev': 'Lets dom0 programs map memory granted by guests (used by qemu and xenstored).',
  'xen-gntalloc': 'Lets dom0 programs grant their memory to guests.',
  xenfs: 'The /proc/xen filesystem the Xen tools talk to the hypervisor through.',
  'xen-pciback': 'Holds PCI devices back from dom0 so they can be passed through to guests.',
  veth: 'Virtual Ethernet pairs: two interfaces connected back to back.',
  macvlan: 'Extra MAC-addressed interfaces on top of one physical interface.',
  ipv6: 'IPv6 support (built into most kernels).',
  br_netfilter: 'Passes bridged traffic through iptables, needed for firewall rules on bridged guests.',
  ip_tables: 'The IPv4 packet filter behind iptables, used by the NAT and antispoofing scripts.',
  iptable_nat: 'NAT for iptables, used by network-nat to masquerade guests.',
  vxlan: 'VXLAN tunnels: layer-2 networks carried over UDP.',
};

/** Symbols and folds given per file at most (an outline of more helps nobody). */
const MAX_OUTLINE = 5000;

export function modulesSymbols(doc: ModulesDocument): DocumentSymbol[] {
  return doc.ast.modules.slice(0, MAX_OUTLINE).map((m) => ({
    name: m.name.length > 200 ? m.name.slice(0, 199) + '…' : m.name,
    detail: m.params
      .map((p) => p.text)
      .join(' ')
      .slice(0, 100),
    kind: SymbolKind.Module,
    range: doc.lines.range(m.span.start, m.span.end),
    selectionRange: doc.lines.range(m.nameSpan.start, m.nameSpan.end),
  }));
}

export function modulesFolding(doc: ModulesDocument): FoldingRange[] {
  const out: FoldingRange[] = [];
  let start = -1;
  let prev = -2;
  const flush = () => {
    if (start >= 0 && prev > start) out.push({ startLine: start, endLine: prev, kind: FoldingRangeKind.Comment });
  };
  for (const c of doc.ast.comments) {
    if (out.length >= MAX_OUTLINE) break;
    if (c.line !== prev + 1) {
      flush();
      start = c.line;
    }
    prev = c.line;
  }
  flush();
  return out;
}

function moduleHoverText(name: string): string {
  const known = WELL_KNOWN_MODULES[name] ?? WELL_KNOWN_MODULES[name.replace(/_/g, '-')] ?? WELL_KNOWN_MODULES[canonicalModuleName(name)];
  if (known) return `**${name}** — kernel module\n\n${known}`;
  return `**${name.length > 80 ? name.slice(0, 79) + '…' : name}** — kernel module loaded at boot. \`modinfo ${name.length > 80 ? '…' : name}\` describes it and its parameters.`;
}

export function modulesHover(doc: ModulesDocument, pos: Position): Hover | null {
  const offset = doc.lines.offsetAt(pos);
  const m = doc.ast.modules.find((x) => x.line === pos.line);
  if (!m) return null;
  if (offset >= m.nameSpan.start && offset <= m.nameSpan.end) {
    return { contents: { kind: MarkupKind.Markdown, value: moduleHoverText(m.name) }, range: doc.lines.range(m.nameSpan.start, m.nameSpan.end) };
  }
  const p = m.params.find((x) => offset >= x.span.start && offset <= x.span.end);
  if (p) {
    const note =
      doc.ast.flavour === 'modules-load.d'
        ? 'modules-load.d does not accept parameters: use /etc/modprobe.d.'
        : `A parameter passed to ${m.name} when it is loaded (\`modinfo -p ${m.name}\` lists them).`;
    return { contents: { kind: MarkupKind.Markdown, value: `**${p.key}** — module parameter\n\n${note}` }, range: doc.lines.range(p.span.start, p.span.end) };
  }
  return null;
}

export function modulesCompletion(doc: ModulesDocument, pos: Position): CompletionItem[] {
  const lineStart = doc.lines.lineStart(pos.line);
  const offset = doc.lines.offsetAt(pos);
  const before = doc.text.slice(lineStart, offset);
  if (!/^[ \t]*[A-Za-z0-9_-]*$/.test(before)) return [];
  const word = /[A-Za-z0-9_-]*$/.exec(before)![0];
  const range = doc.lines.range(offset - word.length, offset);
  const listed = new Set(doc.ast.modules.filter((m) => m.line !== pos.line).map((m) => canonicalModuleName(m.name)));
  return Object.entries(WELL_KNOWN_MODULES)
    .filter(([name]) => !listed.has(canonicalModuleName(name)))
    .map(([name, text]) => ({
      label: name,
      kind: CompletionItemKind.Module,
      documentation: { kind: MarkupKind.Markdown, value: text },
      textEdit: { range, newText: name },
    }));
}
