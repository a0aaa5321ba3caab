// Small text-editing helpers shared by the formats' edit.ts and the generators: edits as offsets into the old text,
// applied back to front; line boundaries; the line ending a file already uses.

/** Replace old[start, end) by text. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Applies non-overlapping edits (any order) to text. */
export function applyEdits(text: string, edits: Edit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.start < at) continue; // overlapping: the first one wins (never produced on purpose)
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

/** The line ending the file uses (its first one), `\n` for a file without any. */
export function eolOf(text: string): string {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}

/** Offset of the start of the line holding offset. */
export function lineStartAt(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset just past the end of the line holding offset (past its line break; text.length on the last line). */
export function nextLineAt(text: string, offset: number): number {
  const i = text.indexOf('\n', offset);
  return i < 0 ? text.length : i + 1;
}

/** The edit that appends block (lines joined by eol, each ending with eol) at the end of text, after a blank line when the file is not empty. */
export function appendBlock(text: string, lines: string[]): Edit {
  const eol = eolOf(text);
  let lead = '';
  if (text.length) {
    if (!text.endsWith('\n')) lead = eol + eol;
    else if (!/(\r?\n){2}$/.test(text) && text.trim().length) lead = eol;
  }
  return { start: text.length, end: text.length, text: lead + lines.map((l) => l + eol).join('') };
}

/** The single replacement that turns a into b: their common prefix and suffix left alone. */
export function minimalEdit(a: string, b: string): Edit | undefined {
  if (a === b) return undefined;
  let p = 0;
  const max = Math.min(a.length, b.length);
  while (p < max && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  // never split a surrogate pair or a \r\n
  if (p > 0 && (isHigh(a.charCodeAt(p - 1)) || (a[p - 1] === '\r' && a[p] === '\n'))) p--;
  let s = 0;
  while (s < max - p && a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s)) s++;
  if (s > 0 && isLow(a.charCodeAt(a.length - s))) s--;
  return { start: p, end: a.length - s, text: b.slice(p, b.length - s) };
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;
