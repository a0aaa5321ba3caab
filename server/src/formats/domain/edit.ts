// Domain files (etc/xen/NAME.cfg): a new guest's file, and in-place edits of an existing one —
// the vif strings (an `ip=` item set, a `bridge=` item dropped, a `script=` item switched) and
// xm's top-level `ip`, `netmask`, `gateway` strings. A vif string is rewritten only when its items
// change, so running a command twice changes nothing the second time.
//
// The design of a routed guest's file, for both toolstacks (one file that xm and xl both read):
//  - the vif names the guest's address only: `vif = [ 'ip=80.68.86.194' ]`. The script and the
//    gateway device come from the host's defaults: xend's `(vif-script 'vif-route netdev=dummy0')`
//    under xend, xl.conf's `vif.default.script` and `vif.default.gatewaydev` under xl. (A per-vif
//    `gatewaydev=` would be refused by xm, so it is never written; a vif that already names its
//    own `script=` keeps that style and gets the script of the chosen mode.)
//  - under xend, the top-level `ip`, `netmask` and `gateway` strings that xm hands to the guest
//    kernel's `ip=` argument; xl ignores these keys, so they are not written for xl.
import { parseDomain } from './parser';
import { lastAssignment, settings, type DomainFile } from './ast';
import { vifSpecs } from './vif';
import { appendBlock, applyEdits, eolOf, nextLineAt, type Edit } from '../../core/edit';

/** Which toolstack reads the files: xend (with xm) or xl. */
export type ToolstackChoice = 'xend' | 'xl';

export interface VifItemText {
  key: string;
  /** undefined for a flag (`trusted`). */
  value?: string;
}

export function vifText(items: VifItemText[]): string {
  return items.map((i) => (i.value === undefined ? i.key : `${i.key}=${i.value}`)).join(',');
}

function quoteSingle(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function sameItems(a: VifItemText[], b: VifItemText[]): boolean {
  return a.length === b.length && a.every((x, i) => x.key === b[i].key && x.value === b[i].value);
}

/** The guest's network facts a domain file carries. */
export interface GuestNet {
  address: string;
  netmask: string;
  gateway: string;
  toolstack: ToolstackChoice;
  /** Items after `ip=` in the new vif (`script=vif-route,gatewaydev=dummy0` when no host default says it). */
  vifExtra?: VifItemText[];
}

/** A new domain file: minimal, read alike by xm and xl. */
export function newDomainFile(name: string, net: GuestNet, cidr: string): string {
  const lines = [
    `# ${name}: a guest of the routed block ${cidr}. The syntax suits both xm and xl.`,
    `name = ${xlString(name)}`,
    'memory = 256',
    'vcpus = 1',
    '',
    '# Give the guest its disk before starting it, for example:',
    `# disk = [ 'phy:/dev/vg0/${name}-disk,xvda,w' ]`,
    '# bootloader = "pygrub"',
    '',
    net.vifExtra?.length
      ? '# Routed: no bridge. vif-route adds a host route to this address.'
      : net.toolstack === 'xend'
        ? "# Routed: no bridge. xend's vif-script (vif-route) adds a host route to this address."
        : '# Routed: no bridge. xl.conf makes vif-route the default script; it adds a host route to this address.',
    `vif = [ ${quoteSingle(vifText([{ key: 'ip', value: net.address }, ...(net.vifExtra ?? [])]))} ]`,
    '',
  ];
  if (net.toolstack === 'xend') {
    lines.push(
      "# xm hands these to the guest kernel's ip= argument (xl ignores them).",
      `ip = ${xlString(net.address)}`,
      `netmask = ${xlString(net.netmask)}`,
      `gateway = ${xlString(net.gateway)}`,
      '',
    );
  }
  lines.push('on_poweroff = "destroy"', 'on_reboot = "restart"', 'on_crash = "restart"', '');
  return lines.join('\n');
}

/**
 * Rewrites the vif strings whose items `fn` changes (fn gets the items and the vif's index; it
 * returns the new items, or undefined to leave the vif alone). Python items are left alone.
 */
export function rewriteVifs(
  text: string,
  fn: (items: VifItemText[], index: number) => VifItemText[] | undefined,
  file: DomainFile = parseDomain(text),
): string {
  const edits: Edit[] = [];
  for (const spec of vifSpecs(file)) {
    const items = spec.items.map((i) => ({ key: i.key, value: i.value }));
    const next = fn(items, spec.index);
    if (!next || sameItems(items, next)) continue;
    edits.push({ start: spec.string.span.start, end: spec.string.span.end, text: quoteSingle(vifText(next)) });
  }
  return applyEdits(text, edits);
}

/** Sets the item key=value (replacing the first one, dropping later ones), or appends it. */
export function withItem(items: VifItemText[], key: string, value: string): VifItemText[] {
  const i = items.findIndex((x) => x.key === key);
  if (i < 0) return key === 'ip' ? [{ key, value }, ...items] : [...items, { key, value }];
  return items.flatMap((x, j) => (x.key !== key ? [x] : j === i ? [{ key, value }] : []));
}

export function withoutItem(items: VifItemText[], key: string): VifItemText[] {
  return items.filter((x) => x.key !== key);
}

/**
 * Gives the guest's first vif the address (adding `vif = [ 'ip=...' ]` when the file has no vif
 * setting, or filling an empty list), with edit(items) applied to every vif's items as well.
 */
export function setGuestVif(text: string, address: string, edit: (items: VifItemText[]) => VifItemText[] = (x) => x): string {
  const file = parseDomain(text);
  const specs = vifSpecs(file);
  if (specs.length) {
    const first = specs[0].index;
    return rewriteVifs(text, (items, index) => edit(index === first ? withItem(items, 'ip', address) : items), file);
  }
  const vifLine = `vif = [ ${quoteSingle(vifText(edit([{ key: 'ip', value: address }])))} ]`;
  const a = lastAssignment(file, 'vif');
  if (a && a.value?.kind === 'list' && a.value.items.length === 0) {
    return applyEdits(text, [{ start: a.value.span.start, end: a.value.span.end, text: `[ ${quoteSingle(vifText(edit([{ key: 'ip', value: address }])))} ]` }]);
  }
  if (a) return text; // a vif setting we cannot read (Python): left to the user
  return applyEdits(text, [appendBlock(text, ["# Routed: the guest's address (vif-route adds a host route to it).", vifLine])]);
}

/**
 * Sets top-level string keys (xm's `ip`, `netmask`, `gateway`): an existing assignment's value
 * is replaced, missing ones go after the vif setting (or at the end), under `comment`.
 */
export function setTopStrings(text: string, entries: [string, string][], comment: string[] = []): string {
  const file = parseDomain(text);
  const edits: Edit[] = [];
  const missing: string[] = [];
  for (const [key, value] of entries) {
    const a = lastAssignment(file, key);
    if (!a || a.op !== '=' || !a.value) {
      if (!a) missing.push(`${key} = ${xlString(value)}`);
      continue;
    }
    if (a.value.kind === 'string' && a.value.value === value) continue;
    edits.push({ start: a.value.span.start, end: a.value.span.end, text: xlString(value) });
  }
  if (missing.length) {
    const vif = settings(file)
      .filter((s) => s.key!.name === 'vif')
      .pop();
    const commented = missing.length === entries.length && comment.length > 0;
    const block = [...(commented ? ['', ...comment.map((c) => `# ${c}`)] : []), ...missing];
    if (vif) {
      const at = nextLineAt(text, vif.span.end);
      const eol = eolOf(text);
      const lead = at === text.length && !text.endsWith('\n') ? eol : '';
      edits.push({ start: at, end: at, text: lead + block.map((l) => l + eol).join('') });
    } else edits.push(appendBlock(text, block));
  }
  return applyEdits(text, edits);
}

/** The `name = "..."` of a domain file's text, if it is a plain string. */
export function domainName(text: string): string | undefined {
  const a = lastAssignment(parseDomain(text), 'name');
  return a?.value?.kind === 'string' ? a.value.value : undefined;
}

export const XM_KERNEL_IP_COMMENT = ["xm hands these to the guest kernel's ip= argument (xl ignores them)."];

// ---------------------------------------------------------------------------------------------
// xl.conf: set `vif.default.*` keys in place. xl reads the last assignment of a key, so that one
// is changed; a missing key is appended. Everything else is kept as it is.

/** A double-quoted xl string (the values here are script and interface names). */
export function xlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The text of xl.conf with each key set to its string value. `text` undefined: a new file. */
export function setXlConf(text: string | undefined, entries: [string, string][], comment: string[] = []): string {
  if (text === undefined) {
    return [
      '# xl.conf: settings of the xl toolstack for every guest of this host (see xl.conf(5)).',
      '',
      ...comment.map((c) => `# ${c}`),
      ...entries.map(([k, v]) => `${k}=${xlString(v)}`),
      '',
    ].join('\n');
  }
  const file = parseDomain(text);
  const edits: Edit[] = [];
  const missing: string[] = [];
  for (const [key, value] of entries) {
    const a = lastAssignment(file, key);
    if (!a || a.op !== '=') {
      missing.push(`${key}=${xlString(value)}`);
      continue;
    }
    if (a.value?.kind === 'string' && a.value.value === value) continue;
    if (a.value) edits.push({ start: a.value.span.start, end: a.value.span.end, text: xlString(value) });
    else {
      const at = a.opSpan ? a.opSpan.end : a.span.end;
      edits.push({ start: at, end: a.span.end, text: xlString(value) });
    }
  }
  if (missing.length) edits.push(appendBlock(text, [...comment.map((c) => `# ${c}`), ...missing]));
  return applyEdits(text, edits);
}
