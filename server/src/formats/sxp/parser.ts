// Reading xend-config.sxp the way xend's own reader (sxp.py) does, with recovery.
//
// Tokens come from a hand-written scanner, one at a time (no array of tokens, no chevrotain: an
// S-expression needs no grammar engine). The tree is built by a small loop with an explicit stack
// instead of a recursive grammar: a file of 100,000 '(' must not overflow the call stack. Lists
// deeper than MAX_SXP_DEPTH are counted, not built, and at most MAX_SYNTAX_ERRORS syntax errors
// are kept: time and memory stay linear in the text.
//
// The tree is offsets in typed arrays (`SxpOffsets`: a kind byte and three int32 per node, in
// the order the nodes start), not one object per token: no span object, no copied string. The
// node objects of `SxpFile.items` are views made on request (each its own span, its text sliced
// when asked); the checks and the outline read the offsets directly.
//
// The reader's rules (facts from xend's sxp.py): whitespace is space, tab, \n, \v, \f, \r; `#`
// starts a comment to the end of the line wherever a token may start; `(` and `)` make lists;
// `'` and `"` quote strings that may span lines, with the escapes \a \b \t \n \v \f \r \\ \' \",
// \xHH and up to three octal digits (an unknown escape keeps its backslash); any other printable
// ASCII character starts a word, which runs until whitespace, `#` or one of `{}()<>[]!;`.
// A non-printable character where a token starts is rejected, as is a `)` with no `(` open,
// and the end of the file inside a list or a string.
import type { Span } from '../../core/text';
import { checkpoint } from '../../core/budget';
import type { SxpAtom, SxpComment, SxpEscapeProblem, SxpFile, SxpList, SxpNode, SxpOffsets, SxpString, SxpSyntaxError } from './ast';

/**
 * The rest of a word: anything but whitespace (space, \t, \n, \v, \f, \r), `#` and `{}()<>[]!;`.
 * Matched in place (sticky, with test(): no match object), it finds a word's end in native code:
 * the reader runs mostly before V8 has optimized it (a cold run of the CLI), and a loop over the
 * word's characters there cost several times the call. (One character class: linear.)
 */
const WORD_REST = /[^ \t\n\v\f\r#{}()<>[\]!;]*/y;

/** How many tokens the reader reads between two checkpoint() calls (a checkpoint per token was a call per token). */
const TOKENS_PER_CHECKPOINT = 64;

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  t: '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
};

function isHex(c: string): boolean {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

export interface DecodedString {
  value: string;
  problems: SxpEscapeProblem[];
  /** When asked for: map[i] is the document offset of value[i]; map[value.length] is the end. */
  map?: number[];
}

/** Decodes a string's escapes as xend does. `start` is the document offset of `raw[0]`. */
export function decodeEscapes(raw: string, start: number, withMap = false): DecodedString {
  if (!withMap && raw.indexOf('\\') < 0) return { value: raw, problems: [] };
  let value = '';
  const problems: SxpEscapeProblem[] = [];
  const map: number[] | undefined = withMap ? [] : undefined;
  let i = 0;
  const n = raw.length;
  while (i < n) {
    if (raw.charCodeAt(i) !== 92 /* \\ */) {
      // the characters up to the next backslash, at once (not a string per character)
      let j = raw.indexOf('\\', i);
      if (j < 0) j = n;
      value += raw.slice(i, j);
      if (map) for (let k = i; k < j; k++) map.push(start + k);
      i = j;
      continue;
    }
    // an escape: what it stands for, `piece`, every character of it mapped to the backslash
    // (appended below, not by a closure: one made per call, over `value`, was an allocation per string)
    const at = start + i;
    let piece: string;
    const d = raw[i + 1];
    if (d === undefined) {
      // a lone backslash before the end (only in an unterminated string)
      piece = '\\';
      i++;
    } else if (SIMPLE_ESCAPES[d] !== undefined) {
      piece = SIMPLE_ESCAPES[d];
      i += 2;
    } else if (d === 'x') {
      if (isHex(raw[i + 2] ?? '') && isHex(raw[i + 3] ?? '')) {
        piece = String.fromCharCode(parseInt(raw.slice(i + 2, i + 4), 16));
        i += 4;
      } else {
        let j = i + 2;
        if (isHex(raw[j] ?? '')) j++;
        problems.push({
          span: { start: start + i, end: start + j },
          message: 'A \\x escape needs exactly two hexadecimal digits here (as in \\x41); xend fails on anything else.',
        });
        piece = raw.slice(i, j);
        i = j;
      }
    } else if (d >= '0' && d <= '7') {
      let j = i + 1;
      let v = 0;
      while (j < n && j < i + 4 && raw[j] >= '0' && raw[j] <= '7') {
        v = v * 8 + (raw.charCodeAt(j) - 48);
        j++;
      }
      if (v > 0xff) {
        problems.push({
          span: { start: start + i, end: start + j },
          message: `The octal escape ${raw.slice(i, j)} is above \\377 (255); xend rejects it.`,
        });
      }
      piece = String.fromCharCode(v & 0xff);
      i = j;
    } else {
      // unknown escape: xend keeps the backslash and reads the next character normally
      piece = '\\';
      i++;
    }
    value += piece;
    if (map) for (let k = 0; k < piece.length; k++) map.push(at);
  }
  if (map) map.push(start + n);
  return { value, problems, map };
}

const isHexCode = (c: number) => (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);

/**
 * The escape problems of the string text[from, to) (what `decodeEscapes(text.slice(from, to),
 * from).problems` finds), read in place: no copy, no decoded value. Empty for most strings.
 */
export function escapeProblemsIn(text: string, from: number, to: number): SxpEscapeProblem[] {
  const problems: SxpEscapeProblem[] = [];
  let i = from;
  while (i < to) {
    if (text.charCodeAt(i) !== 92 /* \ */ || i + 1 >= to) {
      i++;
      continue;
    }
    const d = text.charCodeAt(i + 1);
    if (d === 120 /* x */) {
      if (i + 3 < to && isHexCode(text.charCodeAt(i + 2)) && isHexCode(text.charCodeAt(i + 3))) i += 4;
      else {
        let j = i + 2;
        if (j < to && isHexCode(text.charCodeAt(j))) j++;
        problems.push({
          span: { start: i, end: j },
          message: 'A \\x escape needs exactly two hexadecimal digits here (as in \\x41); xend fails on anything else.',
        });
        i = j;
      }
    } else if (d >= 48 && d <= 55 /* 0-7 */) {
      let j = i + 1;
      let v = 0;
      while (j < to && j < i + 4) {
        const o = text.charCodeAt(j);
        if (o < 48 || o > 55) break;
        v = v * 8 + (o - 48);
        j++;
      }
      if (v > 0xff) problems.push({ span: { start: i, end: j }, message: `The octal escape ${text.slice(i, j)} is above \\377 (255); xend rejects it.` });
      i = j;
    } else if (SIMPLE_ESCAPES[String.fromCharCode(d)] !== undefined) i += 2;
    else i++;
  }
  return problems;
}

function atLineStart(text: string, offset: number): boolean {
  if (offset === 0) return true;
  const c = text.charCodeAt(offset - 1);
  return c === 10 || c === 13;
}

function describeChar(text: string, offset: number): string {
  const code = text.codePointAt(offset) ?? 0;
  if (code === 0xfeff) return 'a byte-order mark (U+FEFF)';
  if (code < 0x20 || code === 0x7f) return `the control character ${code === 0 ? 'NUL' : 'U+' + code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `'${String.fromCodePoint(code)}' (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
}

/**
 * Lists nested deeper than this are read (their parentheses counted, so the file's structure stays
 * right) but not kept: no setting of xend is more than a few levels deep, and a file of a million
 * `(` must cost a counter, not a million nodes.
 */
export const MAX_SXP_DEPTH = 256;
/** Nodes (words, strings, lists) kept per file: a real xend-config.sxp has a few hundred; the rest of a bigger file is not read. */
export const MAX_SXP_NODES = 200_000;
/** Syntax errors kept per file; the others are counted (see SxpFile.moreErrors). */
export const MAX_SYNTAX_ERRORS = 500;

// The kind byte of a node: its kind in the low two bits, and flags.
export const KIND_ATOM = 0;
export const KIND_SQ_STRING = 1;
export const KIND_DQ_STRING = 2;
export const KIND_LIST = 3;
export const KIND_MASK = 3;
/** A list whose `)` was found; a string whose closing quote was found. */
export const FLAG_CLOSED = 4;
/** A string with a backslash between its quotes. */
export const FLAG_ESCAPED = 8;
/** Comment flags. */
export const COMMENT_TRAILING = 1;
export const COMMENT_INDENTED = 2;

/** The node arrays of one parse, grown by doubling (by the reader) and trimmed at the end. */
class NodeLists {
  kinds: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  nexts: Int32Array;
  count = 0;
  /** Whether grow() was called (see trim). */
  grown = false;
  constructor(capacity: number) {
    this.kinds = new Uint8Array(capacity);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.nexts = new Int32Array(capacity);
  }
  /** Doubles the arrays (the reader keeps them in locals, and reads them again after this). */
  grow(): void {
    this.grown = true;
    const size = this.kinds.length * 2 + 16;
    const kinds = new Uint8Array(size);
    kinds.set(this.kinds);
    this.kinds = kinds;
    const starts = new Int32Array(size);
    starts.set(this.starts);
    this.starts = starts;
    const ends = new Int32Array(size);
    ends.set(this.ends);
    this.ends = ends;
    const nexts = new Int32Array(size);
    nexts.set(this.nexts);
    this.nexts = nexts;
  }
}

/** Comments of one parse (same growth). */
class CommentLists {
  starts: Int32Array;
  ends: Int32Array;
  flags: Uint8Array;
  count = 0;
  /** Whether the arrays were grown (see trim). */
  grown = false;
  constructor(capacity: number) {
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.flags = new Uint8Array(capacity);
  }
  add(start: number, end: number, flags: number): void {
    const k = this.count;
    if (k === this.starts.length) {
      this.grown = true;
      const size = k * 2 + 16;
      const s = new Int32Array(size);
      s.set(this.starts);
      this.starts = s;
      const e = new Int32Array(size);
      e.set(this.ends);
      this.ends = e;
      const f = new Uint8Array(size);
      f.set(this.flags);
      this.flags = f;
    }
    this.starts[k] = start;
    this.ends[k] = end;
    this.flags[k] = flags;
    this.count = k + 1;
  }
}

/**
 * The arrays cut to their length: a view of the same buffer while the arrays are the size first
 * made (a fixed share of the text: at most 1.7 bytes per byte of text unused, and pages never
 * written are never mapped in), or when nearly full; a copy once grown by doubling, where a view
 * would keep up to half the buffer unused. (Copying arrays of the first size cost the fresh pages
 * of the copy for nothing: about 1 MB, 3 ms, on a 20,000-expression file.)
 */
function trim<A extends Int32Array | Uint8Array>(a: A, n: number, grown: boolean): A {
  return (n === a.length ? a : !grown || n * 8 >= a.length * 7 ? a.subarray(0, n) : a.slice(0, n)) as A;
}

/** Whether a comment starting at `start` follows code on its line, or whitespace only. */
function commentFlags(text: string, start: number): number {
  let trailing = false;
  let indented = false;
  for (let i = start - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) break;
    if (c === 32 || c === 9 || c === 11 || c === 12) indented = true;
    else {
      trailing = true;
      break;
    }
  }
  return (trailing ? COMMENT_TRAILING : 0) | (indented && !trailing ? COMMENT_INDENTED : 0);
}

interface BuildResult {
  nodes: NodeLists;
  errors: SxpSyntaxError[];
  /** Errors found beyond the cap (counted only). */
  moreErrors: number;
  unclosed: number;
  maxDepth: number;
  /** The first list too deep to keep. */
  tooDeep?: Span;
  /** Where the reader stopped after MAX_SXP_NODES nodes. */
  stoppedAt?: Span;
}

/** The syntax errors of one read: MAX_SYNTAX_ERRORS kept, the others counted. */
class ErrorList {
  readonly kept: SxpSyntaxError[] = [];
  more = 0;
  push(e: SxpSyntaxError): void {
    if (this.kept.length < MAX_SYNTAX_ERRORS) this.kept.push(e);
    else this.more++;
  }
}

/**
 * Ends list `list`, left open, at `lastEnd` (the end of the last token read), and reports it unless
 * an unterminated string inside it (starting at `unterminatedAt`) already explains why.
 */
function closeUnclosed(nodes: NodeLists, list: number, lastEnd: number, unterminatedAt: number, errors: ErrorList): void {
  const open = nodes.starts[list];
  nodes.ends[list] = Math.max(open + 1, lastEnd);
  nodes.nexts[list] = nodes.count;
  if (unterminatedAt > open) return;
  errors.push({
    code: 'sxp/unclosed-list',
    message: "This '(' is never closed: a ')' is missing for it.",
    span: { start: open, end: open + 1 },
  });
}

/**
 * Reads the nodes of text; also the comments when `comments` is given (the first pass).
 *
 * One loop with the scanner written in it, each kind of token read and handled in its own branch,
 * its state in local variables and the node arrays read from locals: the CLI runs with a small
 * inlining budget (cli.ts), so a call per token to a scanner, to the arrays' `add` and to
 * checkpoint() stayed calls, and the token's fields went through an object; a closure over the
 * loop's variables kept them in a heap context, written per token. (A 20,000-expression file: the
 * reader's functions took about 60 ms of a cold run.) Words, comments and strings are scanned
 * natively where they can be (a sticky pattern, indexOf): the reader runs mostly before V8 has
 * optimized it, and a loop over their characters cost several times the call there.
 */
function build(text: string, closeAtColumnZero: boolean, comments: CommentLists | null): BuildResult {
  const nodes = new NodeLists((text.length >> 3) + 16 + TOKENS_PER_CHECKPOINT);
  let kinds = nodes.kinds;
  let starts = nodes.starts;
  let ends = nodes.ends;
  let nexts = nodes.nexts;
  let count = 0;
  const errors = new ErrorList();
  // the open lists, by node index (at most MAX_SXP_DEPTH: deeper ones are counted in `hidden`)
  const stack = new Int32Array(MAX_SXP_DEPTH + 1);
  let depth = 0;
  // lists open below MAX_SXP_DEPTH: counted, not built (their contents are skipped)
  let hidden = 0;
  let tooDeep: Span | undefined;
  let maxDepth = 0;
  let lastEnd = 0;
  // start of the last unterminated string: it explains why the lists around it stay open
  let unterminatedAt = -1;
  // where the reader stopped, after MAX_SXP_NODES nodes: from there it reads the comments only
  let stoppedAt: Span | undefined;
  let ticks = 0;
  const n = text.length;
  // comments end at \n only (found natively) in a text without \r
  const noCR = text.indexOf('\r') < 0;
  // the first backslash at or after the last string's start (n when none): looked for again only
  // once passed, so finding it costs one pass over the text in all
  let backslash = -1;
  // the same for each quote, but none left is 2^32 - 1 (indexOf's -1 >>> 0): a string is
  // terminated when its quote comes before any backslash
  let nextSq = -1;
  let nextDq = -1;
  let i = 0;
  for (;;) {
    // whitespace: space, \t, \n, \v, \f, \r
    let c = 0;
    while (i < n) {
      c = text.charCodeAt(i);
      if (c !== 32 && (c > 13 || c < 9)) break;
      i++;
    }
    if (i >= n) break;
    if (++ticks === TOKENS_PER_CHECKPOINT) {
      ticks = 0;
      checkpoint();
      // (room for the nodes of the next TOKENS_PER_CHECKPOINT tokens, one each at most)
      if (count + TOKENS_PER_CHECKPOINT > kinds.length) {
        nodes.count = count;
        nodes.grow();
        kinds = nodes.kinds;
        starts = nodes.starts;
        ends = nodes.ends;
        nexts = nodes.nexts;
      }
    }
    const start = i;
    if (c === 35 /* # */) {
      let end = i + 1;
      if (noCR) {
        end = text.indexOf('\n', end);
        if (end < 0) end = n;
      } else {
        while (end < n) {
          const d = text.charCodeAt(end);
          if (d === 10 || d === 13) break;
          end++;
        }
      }
      i = end;
      if (comments && comments.count < MAX_SXP_NODES) comments.add(start, end, commentFlags(text, start));
      continue;
    }
    if (c === 40 || c === 41) {
      // '(' or ')'
      const end = i + 1;
      i = end;
      if (count >= MAX_SXP_NODES) {
        stoppedAt ??= { start, end };
        if (!comments) break;
        continue;
      }
      if (c === 40) {
        if (closeAtColumnZero && depth > 0 && atLineStart(text, start) && atLineStart(text, starts[stack[0]])) {
          // recovery: a '(' at the start of a line begins a new setting; close what was left open
          hidden = 0;
          nodes.count = count;
          while (depth > 0) closeUnclosed(nodes, stack[--depth], lastEnd, unterminatedAt, errors);
        }
        if (hidden > 0 || depth >= MAX_SXP_DEPTH) {
          if (hidden === 0 && !tooDeep) tooDeep = { start, end };
          hidden++;
          if (depth + hidden > maxDepth) maxDepth = depth + hidden;
        } else {
          kinds[count] = KIND_LIST;
          starts[count] = start;
          ends[count] = end;
          nexts[count] = count + 1;
          stack[depth++] = count++;
          if (depth > maxDepth) maxDepth = depth;
        }
      } else if (hidden > 0) {
        // inside a list too deep to keep: only its parentheses count
        hidden--;
      } else if (depth === 0) {
        errors.push({
          code: 'sxp/unexpected-close',
          message: "Unexpected ')': no '(' is open here, so xend stops reading the file at this point.",
          span: { start, end },
        });
      } else {
        const list = stack[--depth];
        kinds[list] = KIND_LIST | FLAG_CLOSED;
        ends[list] = end;
        nexts[list] = count;
      }
      lastEnd = end;
      continue;
    }
    if (c === 39 || c === 34) {
      // a string. The closing quote is found natively when no backslash comes before it (most
      // strings); with none left in the text, the string is unterminated (and `escaped` if a
      // backslash follows: what the loop below would find, reading to the end); else the loop
      // reads it. (The next quote and backslash are looked for again only once passed.)
      let end = i + 1;
      let terminated = true;
      let escaped = false;
      let close: number;
      if (c === 39) {
        if (nextSq < end) nextSq = text.indexOf("'", end) >>> 0;
        close = nextSq;
      } else {
        if (nextDq < end) nextDq = text.indexOf('"', end) >>> 0;
        close = nextDq;
      }
      if (backslash < end) {
        backslash = text.indexOf('\\', end);
        if (backslash < 0) backslash = n;
      }
      if (close < backslash) end = close + 1;
      else if (close >= n) {
        terminated = false;
        escaped = backslash < n;
      } else {
        terminated = false;
        while (end < n) {
          const d = text.charCodeAt(end);
          if (d === c) {
            terminated = true;
            break;
          }
          if (d === 92 /* \ */) {
            escaped = true;
            end += 2;
          } else end++;
        }
        if (terminated) end++;
      }
      if (!terminated) {
        // unterminated: stop at the end of the line so the lines after it are still read
        end = i + 1;
        while (end < n) {
          const d = text.charCodeAt(end);
          if (d === 10 || d === 13) break;
          end++;
        }
      }
      i = end;
      if (count >= MAX_SXP_NODES) {
        stoppedAt ??= { start, end };
        if (!comments) break;
        continue;
      }
      lastEnd = end;
      if (hidden > 0) continue;
      if (escaped) {
        const problems = escapeProblemsIn(text, start + 1, terminated ? end - 1 : end);
        for (let k = 0; k < problems.length; k++) errors.push({ code: 'sxp/invalid-escape', message: problems[k].message, span: problems[k].span });
      }
      if (!terminated) {
        unterminatedAt = start;
        errors.push({
          code: 'sxp/unterminated-string',
          message: `This string is never closed: the closing ${c === 39 ? "'" : '"'} is missing, and xend would read to the end of the file looking for it.`,
          span: { start, end: start + 1 },
        });
      }
      kinds[count] = (c === 39 ? KIND_SQ_STRING : KIND_DQ_STRING) | (terminated ? FLAG_CLOSED : 0) | (escaped ? FLAG_ESCAPED : 0);
      starts[count] = start;
      ends[count] = end;
      nexts[count] = count + 1;
      count++;
      continue;
    }
    // a word: it starts with printable ASCII; anything else (control characters, non-ASCII) is invalid there
    WORD_REST.lastIndex = i + 1;
    WORD_REST.test(text);
    const end = WORD_REST.lastIndex;
    i = end;
    if (count >= MAX_SXP_NODES) {
      stoppedAt ??= { start, end };
      if (!comments) break;
      continue;
    }
    lastEnd = end;
    if (hidden > 0) continue;
    if (c < 33 || c > 126) {
      errors.push({
        code: 'sxp/invalid-character',
        message: `xend cannot read ${describeChar(text, start)} where a word starts: only printable ASCII may begin a word (quote the value if it needs other characters).`,
        span: { start, end: start + (text.codePointAt(start)! > 0xffff ? 2 : 1) },
      });
    }
    kinds[count] = KIND_ATOM;
    starts[count] = start;
    ends[count] = end;
    nexts[count] = count + 1;
    count++;
  }
  nodes.count = count;
  // (a file cut short: the lists open where it stopped are not reported as never closed)
  if (stoppedAt) {
    for (let d = 0; d < depth; d++) {
      const l = stack[d];
      ends[l] = Math.max(starts[l] + 1, lastEnd);
      nexts[l] = count;
    }
    return { nodes, errors: errors.kept, moreErrors: errors.more, unclosed: 0, maxDepth, tooDeep, stoppedAt };
  }
  const left = depth + hidden;
  while (depth > 0) closeUnclosed(nodes, stack[--depth], lastEnd, unterminatedAt, errors);
  return { nodes, errors: errors.kept, moreErrors: errors.more, unclosed: left, maxDepth, tooDeep };
}

// ---------------------------------------------------------------------------------------------
// The node views: made on request from the offsets, each its own span.

class AtomView implements SxpAtom {
  readonly #file: SxpTree;
  constructor(
    file: SxpTree,
    readonly start: number,
    readonly end: number,
  ) {
    this.#file = file;
  }
  get kind(): 'atom' {
    return 'atom';
  }
  get text(): string {
    return this.#file.text.slice(this.start, this.end);
  }
  get span(): Span {
    return this;
  }
}

class StringView implements SxpString {
  readonly #file: SxpTree;
  readonly #flags: number;
  #value: string | undefined;
  constructor(
    file: SxpTree,
    flags: number,
    readonly start: number,
    readonly end: number,
  ) {
    this.#file = file;
    this.#flags = flags;
  }
  get kind(): 'string' {
    return 'string';
  }
  get quote(): "'" | '"' {
    return (this.#flags & KIND_MASK) === KIND_SQ_STRING ? "'" : '"';
  }
  get terminated(): boolean {
    return (this.#flags & FLAG_CLOSED) !== 0;
  }
  get span(): Span {
    return this;
  }
  get innerSpan(): Span {
    return { start: this.start + 1, end: this.terminated ? this.end - 1 : this.end };
  }
  get raw(): string {
    return this.#file.text.slice(this.start + 1, this.terminated ? this.end - 1 : this.end);
  }
  get value(): string {
    return (this.#value ??= (this.#flags & FLAG_ESCAPED) === 0 ? this.raw : decodeEscapes(this.raw, this.start + 1).value);
  }
  get escapeProblems(): SxpEscapeProblem[] | undefined {
    if ((this.#flags & FLAG_ESCAPED) === 0) return undefined;
    const problems = escapeProblemsIn(this.#file.text, this.start + 1, this.terminated ? this.end - 1 : this.end);
    return problems.length ? problems : undefined;
  }
}

class ListView implements SxpList {
  readonly #file: SxpTree;
  readonly #index: number;
  #items: SxpNode[] | undefined;
  readonly start: number;
  readonly end: number;
  constructor(file: SxpTree, index: number) {
    this.#file = file;
    this.#index = index;
    this.start = file.tree.starts[index];
    this.end = file.tree.ends[index];
  }
  get kind(): 'list' {
    return 'list';
  }
  get span(): Span {
    return this;
  }
  get open(): Span {
    return { start: this.start, end: this.start + 1 };
  }
  get close(): Span | undefined {
    return (this.#file.tree.kinds[this.#index] & FLAG_CLOSED) !== 0 ? { start: this.end - 1, end: this.end } : undefined;
  }
  get items(): SxpNode[] {
    if (this.#items === undefined) {
      const { nexts } = this.#file.tree;
      const out: SxpNode[] = [];
      const stop = nexts[this.#index];
      for (let k = this.#index + 1; k < stop; k = nexts[k]) out.push(this.#file.node(k));
      this.#items = out;
    }
    return this.#items;
  }
}

class CommentView implements SxpComment {
  readonly #file: SxpTree;
  readonly #flags: number;
  constructor(
    file: SxpTree,
    readonly start: number,
    readonly end: number,
    flags: number,
  ) {
    this.#file = file;
    this.#flags = flags;
  }
  get text(): string {
    return this.#file.text.slice(this.start, this.end);
  }
  get span(): Span {
    return this;
  }
  get trailing(): boolean {
    return (this.#flags & COMMENT_TRAILING) !== 0;
  }
  get indented(): boolean {
    return (this.#flags & COMMENT_INDENTED) !== 0;
  }
}

/** A parsed file: the offsets, and the views made from them on request. */
class SxpTree implements SxpFile {
  errors: SxpSyntaxError[] = [];
  moreErrors?: number;
  tooDeep?: Span;
  stoppedAt?: Span;
  maxDepth = 0;
  #items: SxpNode[] | undefined;
  #comments: SxpComment[] | undefined;
  constructor(
    readonly text: string,
    readonly tree: SxpOffsets,
  ) {}
  node(k: number): SxpNode {
    const kind = this.tree.kinds[k];
    switch (kind & KIND_MASK) {
      case KIND_ATOM:
        return new AtomView(this, this.tree.starts[k], this.tree.ends[k]);
      case KIND_LIST:
        return new ListView(this, k);
      default:
        return new StringView(this, kind, this.tree.starts[k], this.tree.ends[k]);
    }
  }
  get items(): SxpNode[] {
    if (this.#items === undefined) {
      const { count, nexts } = this.tree;
      const out: SxpNode[] = [];
      for (let k = 0; k < count; k = nexts[k]) out.push(this.node(k));
      this.#items = out;
    }
    return this.#items;
  }
  get comments(): SxpComment[] {
    if (this.#comments === undefined) {
      const { commentStarts, commentEnds, commentFlags } = this.tree;
      const out: SxpComment[] = new Array(commentStarts.length);
      for (let k = 0; k < commentStarts.length; k++) out[k] = new CommentView(this, commentStarts[k], commentEnds[k], commentFlags[k]);
      this.#comments = out;
    }
    return this.#comments;
  }
}

/** Parses an xend-config.sxp text. Never throws; syntax problems are in `errors`, sorted by position. */
export function parseSxp(text: string): SxpFile {
  const comments = new CommentLists((text.length >> 7) + 16);
  let result = build(text, false, comments);
  if (result.unclosed > 0) {
    // a '(' was left open: read again, taking a '(' at the start of a line as the start of the
    // next setting, so one missing ')' does not swallow every setting after it
    result = build(text, true, null);
  }
  const n = result.nodes;
  const c = comments.count;
  const file = new SxpTree(text, {
    count: n.count,
    kinds: trim(n.kinds, n.count, n.grown),
    starts: trim(n.starts, n.count, n.grown),
    ends: trim(n.ends, n.count, n.grown),
    nexts: trim(n.nexts, n.count, n.grown),
    commentStarts: trim(comments.starts, c, comments.grown),
    commentEnds: trim(comments.ends, c, comments.grown),
    commentFlags: trim(comments.flags, c, comments.grown),
  });
  const errors = result.errors;
  errors.sort((a, b) => a.span.start - b.span.start);
  file.errors = errors;
  file.maxDepth = result.maxDepth;
  if (result.moreErrors) file.moreErrors = result.moreErrors;
  if (result.tooDeep) file.tooDeep = result.tooDeep;
  if (result.stoppedAt) file.stoppedAt = result.stoppedAt;
  return file;
}

/** The text of an atom node of the tree, or the decoded value of a string node (undefined for a list). */
export function scalarAt(file: SxpFile, k: number): string | undefined {
  const kind = file.tree.kinds[k];
  const start = file.tree.starts[k];
  const end = file.tree.ends[k];
  switch (kind & KIND_MASK) {
    case KIND_ATOM:
      return file.text.slice(start, end);
    case KIND_LIST:
      return undefined;
    default: {
      const raw = file.text.slice(start + 1, kind & FLAG_CLOSED ? end - 1 : end);
      return kind & FLAG_ESCAPED ? decodeEscapes(raw, start + 1).value : raw;
    }
  }
}

/** True when the span holds the offset (end inclusive, so a cursor just after a word is on it). */
export function within(span: Span, offset: number): boolean {
  return offset >= span.start && offset <= span.end;
}
