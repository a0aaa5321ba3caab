// Reading xend-config.sxp the way xend's own reader (sxp.py) does, with recovery.
//
// Tokens come from a chevrotain lexer. The tree is built by a small loop with an explicit stack
// instead of a recursive grammar: a file of 100,000 '(' must not overflow the call stack, and an
// S-expression grammar has nothing else a parser generator would add.
//
// The reader's rules (facts from xend's sxp.py): whitespace is space, tab, \n, \v, \f, \r; `#`
// starts a comment to the end of the line wherever a token may start; `(` and `)` make lists;
// `'` and `"` quote strings that may span lines, with the escapes \a \b \t \n \v \f \r \\ \' \",
// \xHH and up to three octal digits (an unknown escape keeps its backslash); any other printable
// ASCII character starts a word, which runs until whitespace, `#` or one of `{}()<>[]!;`.
// A non-printable character where a token starts is rejected, as is a `)` with no `(` open,
// and the end of the file inside a list or a string.
import { createToken, Lexer, type IToken, type TokenType } from 'chevrotain';
import type { Span } from '../../core/text';
import type {
  SxpAtom,
  SxpComment,
  SxpEscapeProblem,
  SxpFile,
  SxpList,
  SxpNode,
  SxpString,
  SxpSyntaxError,
} from './ast';

interface StringPayload {
  terminated: boolean;
}

/** Matches a quoted string from `offset`; when it never closes, the token ends at the end of its line. */
function stringMatcher(quote: string) {
  const q = quote.charCodeAt(0);
  return (text: string, offset: number): RegExpExecArray | null => {
    if (text.charCodeAt(offset) !== q) return null;
    const n = text.length;
    let i = offset + 1;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === q) {
        const m = [text.slice(offset, i + 1)] as unknown as RegExpExecArray & { payload: StringPayload };
        m.payload = { terminated: true };
        return m;
      }
      i += c === 92 /* \ */ ? 2 : 1;
    }
    // unterminated: stop at the end of the line so the lines after it are still read
    let end = offset + 1;
    while (end < n) {
      const c = text.charCodeAt(end);
      if (c === 10 || c === 13) break;
      end++;
    }
    const m = [text.slice(offset, end)] as unknown as RegExpExecArray & { payload: StringPayload };
    m.payload = { terminated: false };
    return m;
  };
}

const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\n\v\f\r]+/, group: Lexer.SKIPPED, line_breaks: true });
const Comment = createToken({ name: 'Comment', pattern: /#[^\n\r]*/ });
const LParen = createToken({ name: 'LParen', pattern: /\(/ });
const RParen = createToken({ name: 'RParen', pattern: /\)/ });
const SqString = createToken({ name: 'SqString', pattern: { exec: stringMatcher("'") }, start_chars_hint: ["'"], line_breaks: true });
const DqString = createToken({ name: 'DqString', pattern: { exec: stringMatcher('"') }, start_chars_hint: ['"'], line_breaks: true });
// a word starts with printable ASCII other than space ( ) ' " #, and runs to a separator
const Atom = createToken({ name: 'Atom', pattern: /[!$-&*-~][^ \t\n\v\f\r{}()<>[\]!;#]*/ });
// anything else where a token starts: control characters, non-ASCII
const Invalid = createToken({ name: 'Invalid', pattern: /[^\t-\r -~][^ \t\n\v\f\r{}()<>[\]!;#]*/ });

const allTokens: TokenType[] = [WhiteSpace, Comment, LParen, RParen, SqString, DqString, Atom, Invalid];

let lexerInstance: Lexer | undefined;
function lexer(): Lexer {
  lexerInstance ??= new Lexer(allTokens, {
    positionTracking: 'onlyOffset',
    ensureOptimizations: false,
    skipValidations: true,
  });
  return lexerInstance;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07', b: '\b', t: '\t', n: '\n', v: '\v', f: '\f', r: '\r', '\\': '\\', "'": "'", '"': '"',
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
  unclosed: number;
  maxDepth: number;
}

function build(text: string, tokens: IToken[], closeAtColumnZero: boolean): BuildResult {
  const items: SxpNode[] = [];
  const errors: SxpSyntaxError[] = [];
  const stack: SxpList[] = [];
  let maxDepth = 0;
  let lastEnd = 0;
  // start of the last unterminated string: it explains why the lists around it stay open
  let unterminatedAt = -1;
  const add = (node: SxpNode) => {
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
  for (const t of tokens) {
    const start = t.startOffset;
    const end = start + t.image.length;
    const type = t.tokenType;
    if (type === LParen) {
      if (closeAtColumnZero && stack.length && atLineStart(text, start) && atLineStart(text, stack[0].open.start)) {
        // recovery: a '(' at the start of a line begins a new setting; close what was left open
        while (stack.length) unclosed(stack.pop()!);
      }
      const list: SxpList = { kind: 'list', items: [], span: { start, end }, open: { start, end } };
      add(list);
      stack.push(list);
      if (stack.length > maxDepth) maxDepth = stack.length;
    } else if (type === RParen) {
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
    } else if (type === SqString || type === DqString) {
      const payload = t.payload as StringPayload;
      const quote = t.image[0] as "'" | '"';
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
    } else if (type === Atom) {
      add({ kind: 'atom', text: t.image, span: { start, end } } satisfies SxpAtom);
    } else if (type === Invalid) {
      errors.push({
        code: 'sxp/invalid-character',
        message: `xend cannot read ${describeChar(text, start)} where a word starts: only printable ASCII may begin a word (quote the value if it needs other characters).`,
        span: { start, end: start + (t.image.codePointAt(0)! > 0xffff ? 2 : 1) },
      });
      add({ kind: 'atom', text: t.image, span: { start, end } } satisfies SxpAtom);
    } else {
      continue; // comments are collected separately
    }
    lastEnd = end;
  }
  const left = stack.length;
  while (stack.length) unclosed(stack.pop()!);
  return { items, errors, unclosed: left, maxDepth };
}

/** Parses an xend-config.sxp text. Never throws; syntax problems are in `errors`, sorted by position. */
export function parseSxp(text: string): SxpFile {
  const lexed = lexer().tokenize(text);
  const comments: SxpComment[] = [];
  const tokens: IToken[] = [];
  for (const t of lexed.tokens) {
    if (t.tokenType === Comment) {
      const start = t.startOffset;
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
      comments.push({ text: t.image, span: { start, end: start + t.image.length }, trailing, indented: indented && !trailing });
    } else {
      tokens.push(t);
    }
  }
  let result = build(text, tokens, false);
  if (result.unclosed > 0) {
    // a '(' was left open: read again, taking a '(' at the start of a line as the start of the
    // next setting, so one missing ')' does not swallow every setting after it
    result = build(text, tokens, true);
  }
  const errors = result.errors;
  // lexer errors cannot happen (every character starts some token) but are kept just in case
  for (const e of lexed.errors) {
    errors.push({ code: 'sxp/invalid-character', message: e.message, span: { start: e.offset, end: e.offset + Math.max(1, e.length) } });
  }
  errors.sort((a, b) => a.span.start - b.span.start);
  return { text, items: result.items, comments, errors, maxDepth: result.maxDepth };
}

/** True when the span holds the offset (end inclusive, so a cursor just after a word is on it). */
export function within(span: Span, offset: number): boolean {
  return offset >= span.start && offset <= span.end;
}
