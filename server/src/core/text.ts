// Offsets, positions and ranges over a document's text, independent of any editor.
import type { Position, Range } from 'vscode-languageserver-types';

function lineStartsOf(text: string): Int32Array {
  // Without a carriage return the line breaks are found with indexOf (a native search, fast from
  // the first call; the loop below runs cold over every character: 40-80 ms on a 10 MB file).
  if (text.indexOf('\r') < 0) {
    let lines = 1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
    const starts = new Int32Array(lines);
    let k = 1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts[k++] = i + 1;
    return starts;
  }
  const n = text.length;
  let count = 1;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 /* \n */) count++;
    else if (c === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      count++;
    }
  }
  const starts = new Int32Array(count);
  let k = 1;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts[k++] = i + 1;
    } else if (c === 10 /* \n */) {
      starts[k++] = i + 1;
    }
  }
  return starts;
}

/** Maps between UTF-16 offsets and LSP line/character positions. Lines end at \n, \r\n or \r. */
export class LineIndex {
  // Line start offsets in a typed array, counted first: growing a plain array by push on a
  // 100,000-line file cost several times the scan itself. Made on first use: a check that finds
  // nothing to report never needs a position.
  private lineStarts: Int32Array | null = null;
  // Before every line is asked for, positionAt reads the starts found so far: `partial` holds
  // `known` of them, the text scanned up to `scanned`. A large file's diagnostics stop at a
  // thousand (MAX_FILE_DIAGNOSTICS), mostly near its start: the lines after them are not scanned
  // (20,000 settings of xend-config.sxp: 22,000 lines, of which the CLI's output names 1,050).
  private partial: Int32Array | null = null;
  private known = 0;
  private scanned = 0;
  private lastLine = 0;
  constructor(readonly text: string) {}
  private get starts(): Int32Array {
    if (this.lineStarts === null) {
      if (this.partial === null) this.lineStarts = lineStartsOf(this.text);
      else {
        this.scanPast(this.text.length);
        this.lineStarts = this.partial.length === this.known ? this.partial : this.partial.slice(0, this.known);
        this.partial = null;
      }
    }
    return this.lineStarts;
  }
  /** Scans the text for line starts until one after `offset` is known, or to its end. */
  private scanPast(offset: number): void {
    const text = this.text;
    const n = text.length;
    let starts: Int32Array;
    let k: number;
    if (this.partial === null) {
      starts = new Int32Array(1024);
      k = 1;
    } else {
      starts = this.partial;
      k = this.known;
    }
    let i = this.scanned;
    const noCR = this.noCR;
    // (the last start known is at or before offset: else there is nothing to do)
    while (starts[k - 1] <= offset && i < n) {
      let next: number;
      if (noCR) {
        const nl = text.indexOf('\n', i);
        if (nl < 0) {
          i = n;
          break;
        }
        next = nl + 1;
      } else {
        // the next line break: \n, \r\n or \r
        while (i < n) {
          const c = text.charCodeAt(i);
          if (c === 10 || c === 13) break;
          i++;
        }
        if (i >= n) break;
        next = text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
      }
      if (k === starts.length) {
        const grown = new Int32Array(k * 2);
        grown.set(starts);
        starts = grown;
      }
      starts[k++] = next;
      i = next;
    }
    this.partial = starts;
    this.known = k;
    this.scanned = i;
  }
  private noCRText: boolean | undefined;
  private get noCR(): boolean {
    return (this.noCRText ??= this.text.indexOf('\r') < 0);
  }
  /** The offset where each line starts, in order (made once; not to be written to): what a pass that sweeps forward reads instead of searching per offset. */
  lineStartOffsets(): Int32Array {
    return this.starts;
  }
  get lineCount(): number {
    return this.starts.length;
  }
  lineStart(line: number): number {
    const starts = this.starts;
    return starts[Math.max(0, Math.min(line, starts.length - 1))];
  }
  /** Offset just past the line's last character, before its line break. */
  lineEnd(line: number): number {
    const next = line + 1 < this.starts.length ? this.starts[line + 1] : this.text.length;
    let end = next;
    if (end > this.lineStart(line) && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > this.lineStart(line) && this.text.charCodeAt(end - 1) === 13) end--;
    return Math.max(end, this.lineStart(line));
  }
  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }
  positionAt(offset: number): Position {
    offset = Math.max(0, Math.min(offset, this.text.length));
    let starts: Int32Array;
    let last: number;
    if (this.lineStarts !== null) {
      starts = this.lineStarts;
      last = starts.length - 1;
    } else {
      // (the lines up to the first that starts after offset, or every line)
      this.scanPast(offset);
      starts = this.partial!;
      last = this.known - 1;
    }
    // Outlines and diagnostics ask in file order: try the line of the previous answer and the
    // next one before searching.
    let lo = this.lastLine;
    if (lo > last || starts[lo] > offset) lo = 0;
    else if (lo === last || starts[lo + 1] > offset) return { line: lo, character: offset - starts[lo] };
    else if (lo + 1 === last || starts[lo + 2] > offset) {
      this.lastLine = lo + 1;
      return { line: lo + 1, character: offset - starts[lo + 1] };
    }
    let hi = last;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    this.lastLine = lo;
    return { line: lo, character: offset - starts[lo] };
  }
  offsetAt(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.starts.length) return this.text.length;
    return Math.min(this.starts[pos.line] + Math.max(0, pos.character), this.lineEnd(pos.line));
  }
  range(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }
}

/** A half-open span of UTF-16 offsets [start, end). Every AST node carries one. */
export interface Span {
  start: number;
  end: number;
}

/** The index of the last of `items` (sorted by start) that starts at or before `offset`; -1 when none does. Binary search. */
export function lastStartingAt(items: readonly { span: Span }[], offset: number): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid].span.start <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
