// Reading the settings out of a parsed xend-config.sxp, the way xend looks them up: the first
// top-level `(key value)` with a given key wins; later ones are ignored.
import type { ScriptArgument, ScriptCall, SxpFile, SxpNode, SxpSetting } from './ast';
import { decodeEscapes, KIND_ATOM, KIND_LIST, KIND_MASK } from './parser';

/**
 * Calls `each` for every top-level `(key ...)` list whose head is a word, in file order, with the
 * list's node index, the key and the head's node index (offsets only: no node is made).
 */
export function forEachSetting(file: SxpFile, each: (list: number, key: string, head: number) => void): void {
  const { count, kinds, starts, ends, nexts } = file.tree;
  for (let k = 0; k < count; k = nexts[k]) {
    if ((kinds[k] & KIND_MASK) !== KIND_LIST) continue;
    const head = k + 1;
    if (head >= nexts[k] || (kinds[head] & KIND_MASK) !== KIND_ATOM) continue;
    each(k, file.text.slice(starts[head], ends[head]), head);
  }
}

function settingOf(file: SxpFile, list: number, key: string, head: number, first: boolean): SxpSetting {
  const { nexts } = file.tree;
  const stop = nexts[list];
  const v = nexts[head];
  const extra: SxpNode[] = [];
  if (v < stop) for (let k = nexts[v]; k < stop; k = nexts[k]) extra.push(file.node(k));
  const keyNode = file.node(head);
  return {
    key,
    keySpan: keyNode.span,
    list: file.node(list) as SxpSetting['list'],
    value: v < stop ? file.node(v) : undefined,
    extra,
    first,
  };
}

/** Every top-level `(key ...)` list whose head is a word, in file order (duplicates included, `first` marks the one xend reads). */
export function readSettings(file: SxpFile): SxpSetting[] {
  const out: SxpSetting[] = [];
  const seen = new Set<string>();
  forEachSetting(file, (list, key, head) => {
    out.push(settingOf(file, list, key, head, !seen.has(key)));
    seen.add(key);
  });
  return out;
}

/** The settings xend would read: key → the first setting with that key (only those are made). */
export function settingsMap(file: SxpFile): Map<string, SxpSetting> {
  const map = new Map<string, SxpSetting>();
  forEachSetting(file, (list, key, head) => {
    if (!map.has(key)) map.set(key, settingOf(file, list, key, head, true));
  });
  return map;
}

/** The text value of an atom or string (undefined for a list). */
export function scalarText(node: SxpNode | undefined): string | undefined {
  if (!node) return undefined;
  if (node.kind === 'atom') return node.text;
  if (node.kind === 'string') return node.value;
  return undefined;
}

/**
 * Splits a script setting's value (`'vif-route netdev=dummy0'`) into the script name and its
 * `key=value` arguments, with their spans in the document. Undefined for a list or an empty value.
 */
export function splitScript(node: SxpNode | undefined): ScriptCall | undefined {
  if (!node || node.kind === 'list') return undefined;
  let value: string;
  let span: (i: number, j: number) => { start: number; end: number };
  if (node.kind === 'atom') {
    value = node.text;
    const base = node.span.start;
    span = (i, j) => ({ start: base + i, end: base + j });
  } else {
    const inner = node.innerSpan;
    const d = decodeEscapes(node.raw, inner.start, true);
    value = d.value;
    const map = d.map!;
    const limit = inner.end;
    // document span of value[i..j): the end is just past the source of value[j-1]
    span = (i, j) => ({ start: map[i], end: j > i ? endOf(map, j - 1, limit) : map[i] });
  }
  const words: { text: string; start: number; end: number }[] = [];
  const re = /[^ \t\n\v\f\r]+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(value))) words.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  if (!words.length) return undefined;
  const [first, ...rest] = words;
  const args: ScriptArgument[] = rest.map((w) => {
    const arg: ScriptArgument = { text: w.text, span: span(w.start, w.end) };
    const eq = w.text.indexOf('=');
    if (eq > 0) {
      arg.key = w.text.slice(0, eq);
      arg.keySpan = span(w.start, w.start + eq);
      arg.value = w.text.slice(eq + 1);
      arg.valueSpan = span(w.start + eq + 1, w.end);
    }
    return arg;
  });
  return { name: first.text, nameSpan: span(first.start, first.end), args };
}

/** Document offset just past the source of value character i (an escape may be several source characters). */
function endOf(map: number[], i: number, limit: number): number {
  // the next character's source start, unless it is the same source position (one escape, several chars)
  for (let k = i + 1; k < map.length; k++) if (map[k] !== map[i]) return Math.min(map[k], limit);
  return limit;
}
