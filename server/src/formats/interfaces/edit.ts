// /etc/network/interfaces: the stanza of the interface that holds the guests' gateway
// (`auto dummy0` + `iface dummy0 inet static` with address, netmask and broadcast). An existing
// `iface NAME inet` stanza is corrected in place (method, the three options; missing options go
// after its last line); otherwise the stanza is appended. The rest of the file is kept byte for byte.
import { parseInterfaces } from './parser';
import type { IfaceStanza, OptionNode } from './ast';
import { appendBlock, applyEdits, eolOf, lineStartAt, nextLineAt, type Edit } from '../../core/edit';

export interface GatewayStanza {
  iface: string;
  address: string;
  netmask: string;
  broadcast: string;
}

function firstOption(st: IfaceStanza, name: string): OptionNode | undefined {
  return st.options.find((o) => o.name.text === name);
}

/** The text of the interfaces file with the gateway's stanza right. `text` undefined: a new file. */
export function setGatewayStanza(text: string | undefined, g: GatewayStanza, comment: string[] = [], autoElsewhere = false): string {
  const stanzaLines = [`iface ${g.iface} inet static`, `    address ${g.address}`, `    netmask ${g.netmask}`, `    broadcast ${g.broadcast}`];
  if (text === undefined) {
    return [
      "# /etc/network/interfaces: the host's network interfaces, read by ifup (see interfaces(5)).",
      '',
      '# The loopback interface.',
      'auto lo',
      'iface lo inet loopback',
      '',
      ...comment.map((c) => `# ${c}`),
      `auto ${g.iface}`,
      ...stanzaLines,
      '',
    ].join('\n');
  }
  const ast = parseInterfaces(text);
  const autoNamed = autoElsewhere || ast.stanzas.some((s) => (s.kind === 'auto' || s.kind === 'allow') && s.names.some((n) => n.text === g.iface));
  const st = ast.stanzas.find((s): s is IfaceStanza => s.kind === 'iface' && s.name?.text === g.iface && s.family?.text === 'inet');
  const edits: Edit[] = [];
  if (!st) {
    edits.push(appendBlock(text, [...comment.map((c) => `# ${c}`), ...(autoNamed ? [] : [`auto ${g.iface}`]), ...stanzaLines]));
    return applyEdits(text, edits);
  }
  const eol = eolOf(text);
  if (!st.method) edits.push({ start: st.family!.span.end, end: st.family!.span.end, text: ' static' });
  else if (st.method.text !== 'static') edits.push({ start: st.method.span.start, end: st.method.span.end, text: 'static' });
  const wanted: [string, string][] = [
    ['address', g.address],
    ['netmask', g.netmask],
    ['broadcast', g.broadcast],
  ];
  const add: string[] = [];
  const firstOpt = st.options[0];
  const indent = firstOpt ? text.slice(lineStartAt(text, firstOpt.span.start), firstOpt.span.start) : '    ';
  for (const [name, value] of wanted) {
    const o = firstOption(st, name);
    if (!o) add.push(`${indent}${name} ${value}`);
    else if (!o.value) edits.push({ start: o.name.span.end, end: o.name.span.end, text: ` ${value}` });
    else if (o.value.text !== value) edits.push({ start: o.value.span.start, end: o.value.span.end, text: value });
  }
  if (add.length) {
    const lastEnd = st.options.length ? st.options[st.options.length - 1].span.end : st.headerSpan.end;
    const at = nextLineAt(text, lastEnd);
    const lead = at === text.length && !text.endsWith('\n') ? eol : '';
    edits.push({ start: at, end: at, text: lead + add.map((l) => l + eol).join('') });
  }
  if (!autoNamed) {
    const at = lineStartAt(text, st.keyword.span.start);
    edits.push({ start: at, end: at, text: `auto ${g.iface}${eol}` });
  }
  return applyEdits(text, edits);
}
