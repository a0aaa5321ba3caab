// Reading xend-config.sxp the way xend's own reader (sxp.py) does, with recovery.
//
// Tokens come from a hand-written scanner, one at a time (no array of tokens). The tree is built
// by a small loop with an explicit stack instead of a recursive grammar: a file of 100,000 '('
// must not overflow the call stack. Lists deeper than MAX_SXP_DEPTH are counted, not built, and
// at most MAX_SYNTAX_ERRORS syntax errors are kept: time and memory stay linear in the text.
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
import type { SxpAtom, SxpComment, SxpEscapeProblem, SxpFile, SxpList, SxpNode, SxpString, SxpSyntaxError } from './ast';

/** The kinds of token of the reader. */
const enum Tok {
  Comment,
  LParen,
  RParen,
  SqString,
  DqString,
  Atom,
  Invalid,
}

/** One token: its kind and span; `terminated` for strings. Reused from one token to the next. */
interface Token {
  type: Tok;
  start: number;
  end: number;
  terminated: boolean;
}

/** Whitespace of the reader: space, \t, \n, \v, \f, \r. */
const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);
/** What ends a word: whitespace, `#` or one of `{}()<>[]!;`. */
function endsWord(c: number): boolean {
  return isSpace(c) || c === 35 || c === 123 || c === 125 || c === 40 || c === 41 || c === 60 || c === 62 || c === 91 || c === 93 || c === 33 || c === 59;
}

/**
 * The tokens of text, one at a time into `tok` (no array of tokens: a file of two million `(` is
 * read with one object). Returns false at the end. Each character is looked at once, but for an
 * unterminated string's line (read twice).
 */
function nextToken(text: string, from: number, tok: Token): boolean {
  const n = text.length;
  let i = from;
  while (i < n && isSpace(text.charCodeAt(i))) i++;
  if (i >= n) return false;
  const c = text.charCodeAt(i);
  tok.start = i;
  tok.terminated = true;
  if (c === 35 /* # */) {
    let e = i + 1;
    while (e < n) {
      const d = text.charCodeAt(e);
      if (d === 10 || d === 13) break;
      e++;
    }
    tok.type = Tok.Comment;
    tok.end = e;
  } else if (c === 40) {
    tok.type = Tok.LParen;
    tok.end = i + 1;
  } else if (c === 41) {
    tok.type = Tok.RParen;
    tok.end = i + 1;
  } else if (c === 39 || c === 34) {
    tok.type = c === 39 ? Tok.SqString : Tok.DqString;
    let e = i + 1;
    tok.terminated = false;
    while (e < n) {
      const d = text.charCodeAt(e);
      if (d === c) {
        tok.terminated = true;
        break;
      }
      e += d === 92 /* \ */ ? 2 : 1;
    }
    if (tok.terminated) tok.end = e + 1;
    else {
      // unterminated: stop at the end of the line so the lines after it are still read
      e = i + 1;
      while (e < n) {
        const d = text.charCodeAt(e);
        if (d === 10 || d === 13) break;
        e++;
      }
      tok.end = e;
    }
  } else {
    // a word starts with printable ASCII; anything else (control characters, non-ASCII) is invalid there
    tok.type = c >= 33 && c <= 126 ? Tok.Atom : Tok.Invalid;
    let e = i + 1;
    while (e < n && !endsWord(text.charCodeAt(e))) e++;
    tok.end = e;
  }
  return true;
}

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
  const push = (s: string, at: number) => {
    value += s;
    if (map) for (let k = 0; k < s.length; k++) map.push(at);
  };
  let i = 0;
  const n = raw.length;
  while (i < n) {
    const c = raw[i];
    if (c !== '\\') {
      push(c, start + i);
      i++;
      continue;
    }
    const d = raw[i + 1];
    if (d === undefined) {
      // a lone backslash before the end (only in an unterminated string)
      push('\\', start + i);
      i++;
      continue;
    }
    if (SIMPLE_ESCAPES[d] !== undefined) {
      push(SIMPLE_ESCAPES[d], start + i);
      i += 2;
    } else if (d === 'x') {
      if (isHex(raw[i + 2] ?? '') && isHex(raw[i + 3] ?? '')) {
        push(String.fromCharCode(parseInt(raw.slice(i + 2, i + 4), 16)), start + i);
        i += 4;
      } else {
        let j = i + 2;
        if (isHex(raw[j] ?? '')) j++;
        problems.push({
          span: { start: start + i, end: start + j },
          message: 'A \\x escape needs exactly two hexadecimal digits here (as in \\x41); xend fails on anything else.',
        });
        push(raw.slice(i, j), start + i);
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
      push(String.fromCharCode(v & 0xff), start + i);
      i = j;
    } else {
      // unknown escape: xend keeps the backslash and reads the next character normally
      push('\\', start + i);
      i++;
    }
  }
  if (map) map.push(start + n);
  return { value, problems, map };
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

interface BuildResult {
  items: SxpNode[];
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

function build(text: string, closeAtColumnZero: boolean): BuildResult {
  const items: SxpNode[] = [];
  const kept: SxpSyntaxError[] = [];
  let moreErrors = 0;
  const errors = {
    push(e: SxpSyntaxError) {
      if (kept.length < MAX_SYNTAX_ERRORS) kept.push(e);
      else moreErrors++;
    },
  };
  const stack: SxpList[] = [];
  // lists open below MAX_SXP_DEPTH: counted, not built (their contents are skipped)
  let hidden = 0;
  let tooDeep: Span | undefined;
  let maxDepth = 0;
  let lastEnd = 0;
  // start of the last unterminated string: it explains why the lists around it stay open
  let unterminatedAt = -1;
  let nodes = 0;
  let stoppedAt: Span | undefined;
  const add = (node: SxpNode) => {
    nodes++;
    if (stack.length) stack[stack.length - 1].items.push(node);
    else items.push(node);
  };
  const unclosed = (list: SxpList) => {
    list.span.end = Math.max(list.open.end, lastEnd);
    if (unterminatedAt > list.open.start) return;
    errors.push({
      code: 'sxp/unclosed-list',
      message: "This '(' is never closed: a ')' is missing for it.",
      span: list.open,
    });
  };
  const t: Token = { type: Tok.Atom, start: 0, end: 0, terminated: true };
  for (let at = 0; nextToken(text, at, t); at = t.end) {
    const start = t.start;
    const end = t.end;
    const type = t.type;
    checkpoint();
    if (type === Tok.Comment) continue; // comments are collected separately
    if (nodes >= MAX_SXP_NODES) {
      stoppedAt = { start, end };
      break;
    }
    if (type === Tok.LParen) {
      if (closeAtColumnZero && stack.length && atLineStart(text, start) && atLineStart(text, stack[0].open.start)) {
        // recovery: a '(' at the start of a line begins a new setting; close what was left open
        hidden = 0;
        while (stack.length) unclosed(stack.pop()!);
      }
      if (hidden > 0 || stack.length >= MAX_SXP_DEPTH) {
        if (hidden === 0 && !tooDeep) tooDeep = { start, end };
        hidden++;
        if (stack.length + hidden > maxDepth) maxDepth = stack.length + hidden;
        lastEnd = end;
        continue;
      }
      const list: SxpList = { kind: 'list', items: [], span: { start, end }, open: { start, end } };
      add(list);
      stack.push(list);
      if (stack.length > maxDepth) maxDepth = stack.length;
    } else if (hidden > 0) {
      // inside a list too deep to keep: only its parentheses count
      if (type === Tok.RParen) hidden--;
      lastEnd = end;
      continue;
    } else if (type === Tok.RParen) {
      const list = stack.pop();
      if (!list) {
        errors.push({
          code: 'sxp/unexpected-close',
          message: "Unexpected ')': no '(' is open here, so xend stops reading the file at this point.",
          span: { start, end },
        });
      } else {
        list.close = { start, end };
        list.span.end = end;
      }
    } else if (type === Tok.SqString || type === Tok.DqString) {
      const payload = { terminated: t.terminated };
      const quote = type === Tok.SqString ? "'" : '"';
      const innerEnd = payload.terminated ? end - 1 : end;
      const raw = text.slice(start + 1, innerEnd);
      const decoded = decodeEscapes(raw, start + 1);
      const node: SxpString = {
        kind: 'string',
        quote,
        raw,
        value: decoded.value,
        span: { start, end },
        innerSpan: { start: start + 1, end: innerEnd },
        terminated: payload.terminated,
      };
      if (decoded.problems.length) {
        node.escapeProblems = decoded.problems;
        for (const p of decoded.problems) errors.push({ code: 'sxp/invalid-escape', message: p.message, span: p.span });
      }
      if (!payload.terminated) {
        unterminatedAt = start;
        errors.push({
          code: 'sxp/unterminated-string',
          message: `This string is never closed: the closing ${quote} is missing, and xend would read to the end of the file looking for it.`,
          span: { start, end: start + 1 },
        });
      }
      add(node);
    } else if (type === Tok.Atom) {
      add({ kind: 'atom', text: text.slice(start, end), span: { start, end } } satisfies SxpAtom);
    } else {
      errors.push({
        code: 'sxp/invalid-character',
        message: `xend cannot read ${describeChar(text, start)} where a word starts: only printable ASCII may begin a word (quote the value if it needs other characters).`,
        span: { start, end: start + (text.codePointAt(start)! > 0xffff ? 2 : 1) },
      });
      add({ kind: 'atom', text: text.slice(start, end), span: { start, end } } satisfies SxpAtom);
    }
    lastEnd = end;
  }
  // (a file cut short: the lists open where it stopped are not reported as never closed)
  if (stoppedAt) {
    for (const l of stack) l.span.end = Math.max(l.open.end, lastEnd);
    return { items, errors: kept, moreErrors, unclosed: 0, maxDepth, tooDeep, stoppedAt };
  }
  const left = stack.length + hidden;
  while (stack.length) unclosed(stack.pop()!);
  return { items, errors: kept, moreErrors, unclosed: left, maxDepth, tooDeep };
}

/** Parses an xend-config.sxp text. Never throws; syntax problems are in `errors`, sorted by position. */
export function parseSxp(text: string): SxpFile {
  const comments: SxpComment[] = [];
  const t: Token = { type: Tok.Atom, start: 0, end: 0, terminated: true };
  for (let at = 0; nextToken(text, at, t); at = t.end) {
    checkpoint();
    if (t.type !== Tok.Comment) continue;
    if (comments.length >= MAX_SXP_NODES) break;
    const start = t.start;
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
    comments.push({ text: text.slice(start, t.end), span: { start, end: t.end }, trailing, indented: indented && !trailing });
  }
  let result = build(text, false);
  if (result.unclosed > 0) {
    // a '(' was left open: read again, taking a '(' at the start of a line as the start of the
    // next setting, so one missing ')' does not swallow every setting after it
    result = build(text, true);
  }
  const errors = result.errors;
  errors.sort((a, b) => a.span.start - b.span.start);
  const file: SxpFile = { text, items: result.items, comments, errors, maxDepth: result.maxDepth };
  if (result.moreErrors) file.moreErrors = result.moreErrors;
  if (result.tooDeep) file.tooDeep = result.tooDeep;
  if (result.stoppedAt) file.stoppedAt = result.stoppedAt;
  return file;
}

/** True when the span holds the offset (end inclusive, so a cursor just after a word is on it). */
export function within(span: Span, offset: number): boolean {
  return offset >= span.start && offset <= span.end;
}
