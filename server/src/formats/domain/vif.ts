// The vif spec inside each string of `vif = [ ... ]`: comma-separated `key=value` items (or flags
// such as `trusted`), with spans that point into the document, escapes taken into account.
import type { Assignment, DomainFile, Span, StringValue, Value } from './ast';
import { settings } from './ast';

export interface VifItem {
  /** The whole item, without surrounding spaces. */
  span: Span;
  key: string;
  keySpan: Span;
  /** undefined for a flag without '='. */
  value?: string;
  valueSpan?: Span;
}

export interface VifSpec {
  /** Place in the vif list (the device id xl gives it). */
  index: number;
  string: StringValue;
  items: VifItem[];
}

/** Document offset of character i of a string's decoded value. */
export function offsetIn(s: StringValue, i: number): number {
  if (s.offsets) return s.offsets[Math.max(0, Math.min(i, s.offsets.length - 1))];
  return s.contentSpan.start + Math.max(0, Math.min(i, s.contentSpan.end - s.contentSpan.start));
}

/** Splits one vif string into its items. */
export function parseVifSpec(s: StringValue): VifItem[] {
  const text = s.value;
  const items: VifItem[] = [];
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf(',', start);
    if (end < 0) end = text.length;
    let a = start;
    let b = end;
    while (a < b && /\s/.test(text[a])) a++;
    while (b > a && /\s/.test(text[b - 1])) b--;
    if (b > a) {
      const eq = text.indexOf('=', a);
      const span = { start: offsetIn(s, a), end: offsetIn(s, b) };
      if (eq >= 0 && eq < b) {
        let ke = eq;
        while (ke > a && /\s/.test(text[ke - 1])) ke--;
        items.push({
          span,
          key: text.slice(a, ke),
          keySpan: { start: offsetIn(s, a), end: offsetIn(s, ke) },
          value: text.slice(eq + 1, b),
          valueSpan: { start: offsetIn(s, eq + 1), end: offsetIn(s, b) },
        });
      } else {
        items.push({ span, key: text.slice(a, b), keySpan: span });
      }
    }
    start = end + 1;
  }
  return items;
}

/** The vif strings of a vif assignment value (Python items are skipped: their text is not known). */
export function vifStrings(value: Value | null): { index: number; string: StringValue }[] {
  const out: { index: number; string: StringValue }[] = [];
  if (!value) return out;
  if (value.kind === 'list') {
    value.items.forEach((item, index) => {
      if (item.kind === 'string') out.push({ index, string: item });
    });
  } else if (value.kind === 'string') out.push({ index: 0, string: value });
  return out;
}

/** Every vif spec of the file's effective `vif` setting (the last one, with `+=` additions after it). */
export function vifSpecs(file: DomainFile, key = 'vif'): VifSpec[] {
  const assigns: Assignment[] = [];
  for (const a of settings(file)) {
    if (a.key!.name !== key) continue;
    if (a.op === '+=') assigns.push(a);
    else {
      assigns.length = 0;
      assigns.push(a);
    }
  }
  const out: VifSpec[] = [];
  let base = 0;
  for (const a of assigns) {
    const strs = vifStrings(a.value);
    for (const { index, string } of strs) out.push({ index: base + index, string, items: parseVifSpec(string) });
    base += a.value?.kind === 'list' ? a.value.items.length : 1;
  }
  return out;
}
