// /etc/modules and modules-load.d for the editor: checks, outline, folding, hover, completion.
import {
  CompletionItemKind,
  type DiagnosticSeverity,
  FoldingRangeKind,
  MarkupKind,
  SymbolKind,
  type CompletionItem,
  type Diagnostic,
  type DocumentSymbol,
  type FoldingRange,
  type Hover,
  type Position,
} from 'vscode-languageserver-types';
import type { FormatService, ParsedDocument } from '../../core/language';
import type { Settings } from '../../core/settings';
import { capDiagnostics, error, makeDiagnostic, MAX_FILE_DIAGNOSTICS, warning } from '../../core/diagnostics';
import { LineIndex } from '../../core/text';
import { pathOf } from '../../core/uri';
import { findTemplate, templateDiagnostic } from '../template';
import { canonicalModuleName, flavourOf, ignoredModulesLoadName, parseModules, type ModulesFile, type ModulesFlavour } from './parser';

export type ModulesDocument = ParsedDocument<ModulesFile>;

/** Every diagnostic code of this format. */
export const MODULES_CODES = [
  'modules/invalid-name',
  'modules/duplicate-module',
  'modules/parameters-not-allowed',
  'modules/inline-comment',
  'modules/not-conf',
] as const;


/** Modules that matter when wiring a Xen host to its network, in our words. */
export const WELL_KNOWN_MODULES: Record<string, string> = {
  dummy: 'Creates dummy network interfaces (dummy0, …) that are always up and send nothing. A routed Xen host can keep its public gateway address on dummy0, so that address does not depend on a physical link.',
  loop: 'Loop block devices: lets a file be used as a disk, the usual way to back guests with image files under xm. Its max_loop parameter raises the number of loop devices.',
  bridge: 'Ethernet bridging: joins interfaces into one switch-like segment, as network-bridge and vif-bridge (or bridge_ports in /etc/network/interfaces) need.',
  '8021q': 'IEEE 802.1Q VLANs: lets interfaces such as eth0.10 carry tagged traffic for a VLAN.',
  bonding: 'Bonds several network interfaces into one for failover or more bandwidth.',
  tun: 'TUN/TAP virtual interfaces, used by VPNs and by qemu for emulated guest network cards.',
  'xen-netback': 'The back half of Xen\'s paravirtual network: runs in dom0 and creates a vifD.N interface for each guest network card.',
  'xen-netfront': 'The front half of Xen\'s paravirtual network: the network card driver inside a guest.',
  netloop: 'Xen 3.x: the loopback interfaces (vethN/vifN.0 pairs) network-bridge used to give dom0 a port on the bridge.',
  'xen-blkback': 'The back half of Xen\'s paravirtual disks, in dom0.',
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

function diag(doc: ModulesDocument, start: number, end: number, severity: DiagnosticSeverity, code: string, message: string, extra: object = {}): Diagnostic {
  return makeDiagnostic(doc.lines, { span: { start, end }, severity, code, message, ...extra });
}

export function modulesDiagnostics(doc: ModulesDocument): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { ast } = doc;
  const mark = findTemplate(doc.text);
  if (mark) return [templateDiagnostic(mark, doc.lines)];
  if (ast.ignoredName !== undefined) {
    // systemd-modules-load(8) reads only modules-load.d/*.conf: the whole file is skipped
    const firstEnd = doc.text.indexOf('\n');
    out.push(
      diag(doc, 0, firstEnd < 0 ? doc.text.length : firstEnd, warning, 'modules/not-conf',
        `systemd-modules-load reads only the files of modules-load.d whose names end in .conf, so it skips '${ast.ignoredName.length > 40 ? ast.ignoredName.slice(0, 39) + '…' : ast.ignoredName}' and loads none of its modules: rename it to ${ast.ignoredName.length > 40 ? 'NAME' : ast.ignoredName}.conf.`,
        { data: { rename: ast.ignoredName + '.conf' } }),
    );
  }
  const first = new Map<string, (typeof ast.modules)[number]>();
  const clip = (s: string) => (s.length > 40 ? s.slice(0, 39) + '…' : s);
  for (const m of ast.modules) {
    if (out.length > MAX_FILE_DIAGNOSTICS) break;
    const alias = m.name.includes(':');
    const bad = alias ? /[^\x21-\x7e]/.exec(m.name) : /[^A-Za-z0-9_-]/.exec(m.name);
    if (bad) {
      const ch = bad[0];
      const shown = /[\x21-\x7e]/.test(ch) ? `'${ch}'` : `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
      out.push(
        diag(doc, m.nameSpan.start + bad.index, m.nameSpan.start + bad.index + 1, error, 'modules/invalid-name',
          `'${clip(m.name)}' is not a valid module name: ${shown} cannot appear in one (names use letters, digits, '-' and '_').`),
      );
    }
    const key = canonicalModuleName(m.name);
    const prev = first.get(key);
    if (prev) {
      out.push(
        diag(doc, m.nameSpan.start, m.nameSpan.end, warning, 'modules/duplicate-module',
          `'${clip(m.name)}' is already listed on line ${prev.line + 1}; loading it twice does nothing more.`, {
            related: [{ location: { uri: '', range: doc.lines.range(prev.nameSpan.start, prev.nameSpan.end) }, message: 'first listed here' }],
          }),
      );
    } else {
      first.set(key, m);
    }
    if (m.params.length && ast.flavour === 'modules-load.d') {
      const last = m.params[m.params.length - 1];
      out.push(
        diag(doc, m.params[0].span.start, last.span.end, warning, 'modules/parameters-not-allowed',
          `modules-load.d files take only a module name per line: systemd would look for a module called '${clip(doc.text.slice(m.span.start, m.span.end))}'. Put parameters in /etc/modprobe.d/*.conf as 'options ${clip(m.name)} ${clip(m.params.map((p) => p.text).join(' '))}'.`),
      );
    }
    if (m.inlineComment) {
      out.push(
        diag(doc, m.inlineComment.start, m.inlineComment.end, warning, 'modules/inline-comment',
          `A comment must be on its own line: here '${m.inlineComment.end - m.inlineComment.start > 1 ? clip(doc.text.slice(m.inlineComment.start, m.inlineComment.end)) : '#'}' is read as part of the line for ${clip(m.name)}.`),
      );
    }
  }
  return capDiagnostics('modules/more-problems', out, MAX_FILE_DIAGNOSTICS, 0, undefined, out.length > MAX_FILE_DIAGNOSTICS);
}

/** Symbols and folds given per file at most (an outline of more helps nobody). */
const MAX_OUTLINE = 5000;

export function modulesSymbols(doc: ModulesDocument): DocumentSymbol[] {
  return doc.ast.modules.slice(0, MAX_OUTLINE).map((m) => ({
    name: m.name.length > 200 ? m.name.slice(0, 199) + '…' : m.name,
    detail: m.params.map((p) => p.text).join(' ').slice(0, 100),
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

/** Parses with the file's kind: pass the document's URI or path when known (modules-load.d files take no parameters). */
export function parseModulesDocument(text: string, flavour: ModulesFlavour = 'auto'): ModulesDocument {
  return { text, lines: new LineIndex(text), ast: parseModules(text, flavour) };
}

export const modulesService: FormatService<ModulesFile> & {
  parse(text: string, settings: Settings, uri?: string): ModulesDocument;
} = {
  languageId: 'kernel-modules',
  parse: (text: string, _settings: Settings, uri?: string) => {
    const doc = parseModulesDocument(text, flavourOf(uri));
    const ignored = ignoredModulesLoadName(uri ? pathOf(uri) : uri);
    if (ignored !== undefined) doc.ast.ignoredName = ignored;
    return doc;
  },
  diagnostics: (doc) => modulesDiagnostics(doc),
  symbols: (doc) => modulesSymbols(doc),
  folding: (doc) => modulesFolding(doc),
  hover: (doc, pos) => modulesHover(doc, pos),
  completion: (doc, pos) => modulesCompletion(doc, pos),
};

export { parseModules, flavourOf } from './parser';
