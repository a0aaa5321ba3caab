// The domain-file parser. The hand scanner (lexer.ts) reads the text into typed arrays of token
// kinds and offsets; the driver below cuts them into statements (at line ends and `;` outside
// brackets). The shapes nearly every statement of a real file has (`key = 'string'`, `key = 123`,
// `key = [ 'a', 'b' ]`) and Python's keyword statements are read here, from the offsets, with no
// token object; any other statement is handed to the chevrotain parser of the Python subset that
// xm files use (grammar.ts), of which xl's syntax is a part. A statement that fails is reported
// and skipped: the next line is parsed afresh, so a broken line never hides the errors and
// settings after it. Whatever xl would refuse is recorded in `xlIssues` with its place; the
// service turns those into errors, hints or nothing by toolstack.
import '../../core/polyfills';
import { checkpoint } from '../../core/budget';
import { K, scan } from './lexer';
import type * as Grammar from './grammar';
import { grouped, numberValue, stringValue } from './values';
import type { Comment, DomainFile, PythonStatement, Span, Statement, SyntaxProblem, Value, XlIssue } from './ast';

export { short } from './values';

/** Python statements that open an indented block. */
const BLOCK_KEYWORDS = new Set(['def', 'class', 'if', 'elif', 'else', 'for', 'while', 'try', 'except', 'finally', 'with']);
/** Python simple statements with a leading keyword. */
const SIMPLE_KEYWORDS = new Set([
  'import',
  'from',
  'return',
  'raise',
  'pass',
  'print',
  'global',
  'del',
  'assert',
  'break',
  'continue',
  'exec',
  'yield',
  'nonlocal',
]);

/**
 * The chevrotain grammar (grammar.ts), loaded when a statement first leaves the fast path: loading
 * it runs chevrotain's module and makes its token types (in the CLI a bundle of its own,
 * dist/cli-chevrotain.js), which a file of plain settings never needs (40-50 ms of a cold run).
 */
let grammar: typeof Grammar | undefined;
function loadGrammar(): typeof Grammar {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  return (grammar ??= require('./grammar') as typeof Grammar);
}
/** For the tests: whether a parse has needed the chevrotain grammar in this process. */
export function grammarLoaded(): boolean {
  return grammar !== undefined;
}

/** Deeper nesting is refused (no real file comes near it; it keeps the recursive parser safe). */
const MAX_DEPTH = 100;
/** Statements read per file (a domain file holds a few dozen); the rest of a bigger file is not read. */
export const MAX_DOMAIN_STATEMENTS = 20_000;
/** Tokens one statement may hold to be parsed (a vif list of a thousand guests holds a few thousand). */
export const MAX_STATEMENT_TOKENS = 50_000;
/** Syntax errors and xl issues after which the rest of the file is not read. */
export const MAX_DOMAIN_PROBLEMS = 1000;

/** Whether text[start, end) is a name xl reads as a key (XL_IDENT), without a copy of it. */
function isXlIdent(text: string, start: number, end: number): boolean {
  const c = text.charCodeAt(start);
  if (c < 97 || c > 122) return false;
  for (let k = start + 1; k < end; k++) {
    const d = text.charCodeAt(k);
    if (!((d >= 97 && d <= 122) || (d >= 48 && d <= 57) || d === 95 || d === 46)) return false;
  }
  return true;
}

/** Whether text[start, end) is a number xl reads (XL_NUMBER: `[0-9][0-9a-fx]*`). */
function isXlNumber(text: string, start: number, end: number): boolean {
  const c = text.charCodeAt(start);
  if (c < 48 || c > 57) return false;
  for (let k = start + 1; k < end; k++) {
    const d = text.charCodeAt(k);
    if (!((d >= 48 && d <= 57) || (d >= 97 && d <= 102) || d === 120)) return false;
  }
  return true;
}

/** The state of one parse: the text, its tokens, and what has been found. */
interface Reader {
  text: string;
  kinds: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  statements: Statement[];
  errors: SyntaxProblem[];
  issues: XlIssue[];
  blocks: { indent: number; keyword: string }[];
}

/** Parses a domain file (xl syntax and the Python of xm files). Never throws. */
export function parseDomain(text: string): DomainFile {
  const lex = scan(text);
  const { kinds, starts, ends } = lex;
  // the comments' nodes are made when first asked for (the outline and the folding ask; the checks
  // do not): a large file's comments then cost two numbers each, not three objects for the
  // collector to copy while the file is read
  const commentCount = lex.commentCount;
  const commentOffsets = lex.comments;
  const statements: Statement[] = [];
  const errors: SyntaxProblem[] = [];
  const issues: XlIssue[] = [];
  const r: Reader = { text, kinds, starts, ends, statements, errors, issues, blocks: [] };

  // Python's line continuations, a BOM, carriage returns: xl's lexer refuses them.
  // (the first hundred: each says the same)
  for (let c = 0; c < Math.min(100, lex.continuationCount); c++) {
    issues.push({ span: { start: lex.continuations[2 * c], end: lex.continuations[2 * c + 1] }, kind: 'python', message: "xl does not join lines with '\\'." });
  }
  if (text.charCodeAt(0) === 0xfeff)
    issues.push({
      span: { start: 0, end: 1 },
      kind: 'lexical',
      message: 'xl cannot read a file that starts with a byte-order mark (BOM); save it without one.',
    });
  const cr = text.indexOf('\r');
  if (cr >= 0)
    issues.push({
      span: { start: cr, end: cr + 1 },
      kind: 'lexical',
      message: 'xl cannot read carriage returns (Windows CRLF line ends); save the file with Unix (LF) line ends.',
    });
  // libxlutil needs a line break after a comment; a comment on the last line without one is refused.
  if (commentCount > 0 && commentOffsets[2 * commentCount - 1] === text.length) {
    issues.push({
      span: { start: commentOffsets[2 * commentCount - 2], end: text.length },
      kind: 'lexical',
      message: 'xl needs a line break after a comment on the last line.',
    });
  }

  // Python blocks (r.blocks): (indent, keyword) of open headers, to tell function locals and conditional settings.
  let lineStart = 0;
  let i = 0;
  const n = lex.count;
  // kinds of the brackets open in the statement being gathered (stack[0, depth))
  const stack: number[] = [];
  let notRead: DomainFile['notRead'];
  while (i < n) {
    checkpoint();
    const tt = kinds[i];
    if (statements.length >= MAX_DOMAIN_STATEMENTS || errors.length + issues.length >= MAX_DOMAIN_PROBLEMS) {
      notRead = {
        span: { start: starts[i], end: ends[i] },
        message: `This file is not read from here on: it holds more than ${statements.length >= MAX_DOMAIN_STATEMENTS ? `${grouped(MAX_DOMAIN_STATEMENTS)} statements` : `${grouped(MAX_DOMAIN_PROBLEMS)} problems`} (a domain file holds a few dozen settings).`,
      };
      break;
    }
    if (tt === K.Newline) {
      lineStart = ends[i];
      i++;
      continue;
    }
    if (tt === K.Semicolon) {
      i++;
      continue;
    }
    // Gather one statement: up to a line end or ';' outside brackets.
    const begin = i;
    let depth = 0;
    let end = i;
    let cutLineStart = -1;
    let tooDeep = -1;
    for (; end < n; end++) {
      checkpoint();
      const ut = kinds[end];
      if (ut === K.LBracket || ut === K.LParen || ut === K.LBrace) {
        stack[depth++] = ut;
        if (depth > MAX_DEPTH && tooDeep < 0) tooDeep = end;
      } else if (ut === K.RBracket || ut === K.RParen || ut === K.RBrace) {
        if (depth) depth--;
      } else if (ut === K.Newline) {
        if (depth === 0) break;
        // An unclosed list must not swallow the next setting: a line that starts `name =` ends it.
        if (end + 2 < n && kinds[end + 1] === K.Ident && (kinds[end + 2] === K.Equals || kinds[end + 2] === K.PlusEq)) {
          const nextLineStart = ends[end];
          if (stack[depth - 1] === K.LBracket || starts[end + 1] === nextLineStart) {
            cutLineStart = nextLineStart;
            break;
          }
        }
      } else if (ut === K.Semicolon && depth === 0) break;
    }
    i = end;
    const indent = starts[begin] - lineStart;
    if (tooDeep >= 0)
      errors.push({
        span: { start: starts[tooDeep], end: ends[tooDeep] },
        message: `Brackets are nested more than ${MAX_DEPTH} deep here; this setting is not read.`,
      });
    else if (end - begin > MAX_STATEMENT_TOKENS) {
      notRead ??= {
        span: { start: starts[begin], end: ends[begin] },
        message: `This statement holds more than ${grouped(MAX_STATEMENT_TOKENS)} words and signs: it is not read nor checked.`,
      };
    } else parseStatement(r, begin, end, indent);
    if (cutLineStart >= 0) {
      lineStart = cutLineStart;
      i = end + 1;
    }
  }

  const usesPython = issues.some((x) => x.kind === 'python');
  const file: DomainFile = {
    kind: 'file',
    span: { start: 0, end: text.length },
    statements,
    get comments(): Comment[] {
      return keep(this, commentNodes(text, commentOffsets, commentCount));
    },
    set comments(value: Comment[]) {
      keep(this, value);
    },
    errors,
    xlIssues: issues,
    usesPython,
  };
  if (notRead) file.notRead = notRead;
  return file;
}

/** The comment nodes of a parse, from their offsets (start and end in pairs). */
function commentNodes(text: string, offsets: Int32Array, count: number): Comment[] {
  const out = new Array<Comment>(count);
  for (let c = 0; c < count; c++) {
    const start = offsets[2 * c];
    const end = offsets[2 * c + 1];
    out[c] = { span: { start, end }, text: text.slice(start, end) };
  }
  return out;
}

/** Makes `comments` a plain property of the file holding value (in place of the accessor that made it). */
function keep(file: DomainFile, value: Comment[]): Comment[] {
  Object.defineProperty(file, 'comments', { value, writable: true, enumerable: true, configurable: true });
  return value;
}

function parseStatement(r: Reader, begin: number, end: number, indent: number): void {
  if (end <= begin) return;
  const { text, kinds, starts, ends, statements, errors, issues, blocks } = r;
  while (blocks.length && blocks[blocks.length - 1].indent >= indent) blocks.pop();
  const local = blocks.length > 0 && blocks.some((b) => b.keyword === 'def' || b.keyword === 'class');
  const conditional = blocks.length > 0;
  const firstKind = kinds[begin];
  const secondKind = end - begin > 1 ? kinds[begin + 1] : -1;
  const assigns = secondKind === K.Equals || secondKind === K.PlusEq;

  // Fast path for the common xl shapes (`key = 'string'`, `key = 123`, `key = [ 'a', 'b' ]`);
  // everything else goes through the chevrotain parser.
  if (assigns && firstKind === K.Ident && end - begin >= 3 && isXlIdent(text, starts[begin], ends[begin])) {
    const value = fastValue(r, begin, end);
    if (value) {
      statements.push({
        kind: 'assignment',
        span: { start: starts[begin], end: value.span.end },
        key: { name: text.slice(starts[begin], ends[begin]), span: { start: starts[begin], end: ends[begin] } },
        op: secondKind === K.Equals ? '=' : '+=',
        opSpan: { start: starts[begin + 1], end: ends[begin + 1] },
        value,
        local,
        conditional,
      });
      return;
    }
  }

  // the last token that is not a line break (inside brackets they mean nothing)
  let last = end - 1;
  while (last >= begin && kinds[last] === K.Newline) last--;
  if (last < begin) return;
  const span: Span = { start: starts[begin], end: ends[last] };

  // Python statements that start with a keyword (`import`, `def f():`, `else:`…) unless the
  // keyword is used as a key (`if = 1` is a valid xl setting).
  if (firstKind === K.Ident && !assigns) {
    const keyword = text.slice(starts[begin], ends[begin]);
    const header = BLOCK_KEYWORDS.has(keyword);
    if (header || SIMPLE_KEYWORDS.has(keyword)) {
      const st: PythonStatement = { kind: 'python', span, keyword, header, local };
      if ((keyword === 'def' || keyword === 'class') && secondKind === K.Ident)
        st.name = { name: text.slice(starts[begin + 1], ends[begin + 1]), span: { start: starts[begin + 1], end: ends[begin + 1] } };
      statements.push(st);
      issues.push({ span, kind: 'python', message: `xl does not run Python: '${keyword}' statements are not allowed.` });
      if (header) {
        blocks.push({ indent, keyword });
        let colon = false;
        for (let k = begin; k <= last && !colon; k++) colon = kinds[k] === K.Colon;
        if (!colon) errors.push({ span: { start: span.end, end: span.end }, message: `Expected ':' at the end of this '${keyword}' line.` });
      }
      return;
    }
  }

  const g = loadGrammar();
  g.parseWithGrammar({ text, statements, errors, issues, span, local, conditional }, g.tokensOf(text, kinds, starts, ends, begin, end));
}

function fastAtom(r: Reader, k: number): Value | undefined {
  const kind = r.kinds[k];
  if (kind === K.StringLit) return stringValue(r.text, r.starts[k], r.ends[k], r.issues);
  if (kind === K.NumberLit && isXlNumber(r.text, r.starts[k], r.ends[k])) return numberValue(r.text, r.starts[k], r.ends[k]);
  return undefined;
}

function fastValue(r: Reader, begin: number, end: number): Value | undefined {
  const len = end - begin;
  if (len < 3) return undefined;
  if (len === 3) return fastAtom(r, begin + 2);
  const { kinds, starts, ends } = r;
  if (kinds[begin + 2] !== K.LBracket || kinds[end - 1] !== K.RBracket) return undefined;
  const items: Value[] = [];
  let expectItem = true;
  let trailing = false;
  for (let k = begin + 3; k < end - 1; k++) {
    if (expectItem) {
      const v = fastAtom(r, k);
      if (!v) return undefined;
      items.push(v);
      expectItem = false;
      trailing = false;
    } else {
      if (kinds[k] !== K.Comma) return undefined;
      expectItem = true;
      trailing = true;
    }
  }
  if (expectItem && items.length > 0 && !trailing) return undefined;
  return { kind: 'list', span: { start: starts[begin + 2], end: ends[end - 1] }, items, trailingComma: trailing };
}
