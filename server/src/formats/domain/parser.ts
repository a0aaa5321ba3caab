// The domain-file parser. The token stream is cut into statements (at line ends and `;` outside
// brackets); each statement is parsed on its own by a chevrotain parser of the Python subset that
// xm files use, of which xl's syntax (`key = value`, strings, numbers, nested lists) is a part.
// A statement that fails is reported and skipped: the next line is parsed afresh, so a broken
// line never hides the errors and settings after it. Whatever xl would refuse is recorded in
// `xlIssues` with its place; the service turns those into errors, hints or nothing by toolstack.
import '../../core/polyfills';
import { checkpoint } from '../../core/budget';
import { EmbeddedActionsParser, EOF, type IToken, type TokenType, type IParserErrorMessageProvider } from 'chevrotain';
import {
  allTokens,
  AugAssign,
  Colon,
  Comma,
  CompareOp,
  Dot,
  Equals,
  Ident,
  LBrace,
  LBracket,
  LParen,
  Newline,
  NumberLit,
  OtherOp,
  PlusEq,
  PlusMinus,
  RBrace,
  RBracket,
  RParen,
  Semicolon,
  StringLit,
  Tilde,
  TripleString,
  tokenize,
  UnterminatedString,
} from './lexer';
import type {
  Assignment,
  Comment,
  DomainFile,
  ListValue,
  NumberValue,
  PythonStatement,
  PythonValue,
  Span,
  Statement,
  StringValue,
  SyntaxProblem,
  Value,
  XlIssue,
} from './ast';

const KEYWORD_OPS = new Set(['and', 'or', 'in', 'is', 'not', 'if', 'else']);
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
const PY_CONSTANTS = new Set(['True', 'False', 'None']);

const XL_NUMBER = /^[0-9][0-9a-fx]*$/;
const PY_NUMBER = /^(?:[0-9]+[lL]?|0[xX][0-9a-fA-F]+[lL]?|0[oO][0-7]+|0[bB][01]+|(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][+-]?[0-9]+)?[jJ]?)$/;
/** Deeper nesting is refused (no real file comes near it; it keeps the recursive parser safe). */
const MAX_DEPTH = 100;
/** Statements read per file (a domain file holds a few dozen); the rest of a bigger file is not read. */
export const MAX_DOMAIN_STATEMENTS = 20_000;
/** Tokens one statement may hold to be parsed (a vif list of a thousand guests holds a few thousand). */
export const MAX_STATEMENT_TOKENS = 50_000;
/** Syntax errors and xl issues after which the rest of the file is not read. */
export const MAX_DOMAIN_PROBLEMS = 1000;
const XL_IDENT = /^[a-z][._0-9a-z]*$/;

/** A name or text shortened for a message. */
export function short(text: string, max = 40): string {
  return text.length > max ? text.slice(0, max) + '…' : text;
}

function describeToken(t: IToken | undefined): string {
  if (!t || t.tokenType === EOF) return 'the end of the line';
  const img = t.image;
  if (t.tokenType === UnterminatedString) return 'an unterminated string';
  const shown = img.length > 24 ? img.slice(0, 24) + '…' : img;
  // eslint-disable-next-line no-control-regex -- names the invisible characters a file may hold
  if (/^[\u0000-\u001f\u007f-\u009f\ufeff]$/.test(img)) return `the character U+${img.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  return `'${shown}'`;
}

function labelOf(t: TokenType): string {
  return (t as { LABEL?: string }).LABEL ?? t.name;
}

const VALUE_WORDS = "a value (a number, a 'quoted string' or a [ list ])";

const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, ruleName }) {
    if (expected === RBracket) return `Expected ',' or ']' to continue or close the list, but found ${describeToken(actual)}.`;
    if (expected === RParen) return `Expected ')' to close the parenthesis, but found ${describeToken(actual)}.`;
    if (expected === RBrace) return `Expected '}' to close the braces, but found ${describeToken(actual)}.`;
    if (expected === Ident && ruleName === 'postfix') return `Expected a name after '.', but found ${describeToken(actual)}.`;
    return `Expected ${labelOf(expected)}, but found ${describeToken(actual)}.`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `Expected the end of the setting, but found ${describeToken(firstRedundant)}. Put each setting on its own line (or separate them with ';').`;
  },
  buildNoViableAltMessage({ actual, ruleName }) {
    const a = describeToken(actual[0]);
    if (ruleName === 'atom') return `Expected ${VALUE_WORDS}, but found ${a}.`;
    if (ruleName === 'statement') return `Expected '=', '+=' or a value, but found ${a}.`;
    return `Unexpected ${a}.`;
  },
  buildEarlyExitMessage({ actual }) {
    return `Expected more here, but found ${describeToken(actual[0])}.`;
  },
};

interface Partial {
  targets: (Value | null)[];
  ops: IToken[];
  unterminated: boolean;
}

function sp(t: IToken): Span {
  return { start: t.startOffset, end: t.startOffset + t.image.length };
}
function join(a: Span, b: Span): Span {
  return { start: a.start, end: b.end };
}

const ESCAPES: Record<string, string> = { '"': '"', "'": "'", '\\': '\\', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

class DomainParser extends EmbeddedActionsParser {
  /** Per-statement state read by the driver, also after an error. */
  cur: Partial = { targets: [], ops: [], unterminated: false };
  issues: XlIssue[] = [];
  problems: SyntaxProblem[] = [];

  constructor() {
    super(allTokens, { recoveryEnabled: false, maxLookahead: 3, errorMessageProvider: messages, skipValidations: false });
    this.performSelfAnalysis();
  }

  private py(span: Span, construct: string, parts: Value[] = []): PythonValue {
    return { kind: 'python', span, construct, parts };
  }

  public statement = this.RULE('statement', () => {
    const first = this.SUBRULE(this.exprList);
    this.ACTION(() => this.cur.targets.push(first ?? null));
    this.MANY(() => {
      const op = this.OR([{ ALT: () => this.CONSUME(Equals) }, { ALT: () => this.CONSUME(PlusEq) }, { ALT: () => this.CONSUME(AugAssign) }]);
      this.ACTION(() => this.cur.ops.push(op));
      const v = this.SUBRULE2(this.exprList);
      this.ACTION(() => this.cur.targets.push(v ?? null));
    });
  });

  private exprList = this.RULE('exprList', (): Value => {
    const items: Value[] = [];
    let commas = 0;
    const first = this.SUBRULE(this.expr);
    this.ACTION(() => items.push(first));
    this.MANY(() => {
      this.CONSUME(Comma);
      commas++;
      this.OPTION(() => {
        const e = this.SUBRULE2(this.expr);
        this.ACTION(() => items.push(e));
      });
    });
    return this.ACTION(() => {
      if (commas === 0) return first;
      return this.py(join(items[0].span, items[items.length - 1].span), 'a tuple (values separated by commas outside a list)', items);
    });
  });

  private expr = this.RULE('expr', (): Value => {
    let left = this.SUBRULE(this.unary);
    this.MANY({
      GATE: () => {
        const t = this.LA(1);
        return t.tokenType !== Ident || KEYWORD_OPS.has(t.image);
      },
      DEF: () => {
        const op = this.OR([
          { ALT: () => this.CONSUME(PlusMinus) },
          { ALT: () => this.CONSUME(OtherOp) },
          { ALT: () => this.CONSUME(CompareOp) },
          { ALT: () => this.CONSUME(Ident) },
        ]);
        const right = this.SUBRULE2(this.unary);
        this.ACTION(() => {
          const construct =
            op.image === '%'
              ? "'%' formatting"
              : op.tokenType === Ident
                ? `the Python operator '${op.image}'`
                : op.tokenType === CompareOp || op.image === '<' || op.image === '>'
                  ? `a comparison ('${op.image}')`
                  : `arithmetic ('${op.image}')`;
          left = this.py(join(left.span, right.span), construct, [left, right]);
        });
      },
    });
    return left;
  });

  private unary = this.RULE('unary', (): Value => {
    const signs: IToken[] = [];
    this.MANY({
      GATE: () => this.LA(1).tokenType !== Ident || this.LA(1).image === 'not',
      DEF: () => {
        const s = this.OR([{ ALT: () => this.CONSUME(PlusMinus) }, { ALT: () => this.CONSUME(Tilde) }, { ALT: () => this.CONSUME(Ident) }]);
        this.ACTION(() => signs.push(s));
      },
    });
    const v = this.SUBRULE(this.postfix);
    return this.ACTION(() => {
      if (signs.length === 0) return v;
      const s = signs[0];
      const what = s.image === 'not' ? "the Python operator 'not'" : s.image === '-' ? "a sign ('-'); xl has no negative numbers" : `a sign ('${s.image}')`;
      return this.py(join(sp(s), v.span), what, [v]);
    });
  });

  private postfix = this.RULE('postfix', (): Value => {
    let v = this.SUBRULE(this.atom);
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(LParen);
            const args: Value[] = [];
            this.OPTION(() => {
              this.SUBRULE(this.arg, { ARGS: [args] });
              this.MANY2(() => {
                this.CONSUME(Comma);
                this.OPTION2(() => this.SUBRULE2(this.arg, { ARGS: [args] }));
              });
            });
            const close = this.CONSUME(RParen);
            this.ACTION(() => {
              v = this.py(join(v.span, sp(close)), 'a function call', [v, ...args]);
            });
          },
        },
        {
          ALT: () => {
            this.CONSUME(LBracket);
            this.OPTION3(() => this.SUBRULE3(this.expr));
            this.MANY3(() => {
              this.CONSUME(Colon);
              this.OPTION4(() => this.SUBRULE4(this.expr));
            });
            const close = this.CONSUME(RBracket);
            this.ACTION(() => {
              v = this.py(join(v.span, sp(close)), 'indexing with [ ]', [v]);
            });
          },
        },
        {
          ALT: () => {
            this.CONSUME(Dot);
            const name = this.CONSUME2(Ident);
            this.ACTION(() => {
              v = this.py(join(v.span, sp(name)), `an attribute ('.${short(name.image)}')`, [v]);
            });
          },
        },
      ]);
    });
    return v;
  });

  private arg = this.RULE('arg', (args: Value[]) => {
    this.OPTION({
      GATE: () => this.LA(2).tokenType === Equals,
      DEF: () => {
        this.CONSUME(Ident);
        this.CONSUME(Equals);
      },
    });
    this.OPTION2(() => this.CONSUME(OtherOp));
    const e = this.SUBRULE(this.expr);
    this.ACTION(() => args.push(e));
  });

  private list = this.RULE('list', (): ListValue => {
    const open = this.CONSUME(LBracket);
    const items: Value[] = [];
    let trailing = false;
    this.OPTION(() => {
      const first = this.SUBRULE(this.expr);
      this.ACTION(() => items.push(first));
      this.MANY(() => {
        this.CONSUME(Comma);
        this.ACTION(() => (trailing = true));
        this.OPTION2(() => {
          const e = this.SUBRULE2(this.expr);
          this.ACTION(() => {
            items.push(e);
            trailing = false;
          });
        });
      });
    });
    const close = this.CONSUME(RBracket);
    return this.ACTION(() => ({ kind: 'list' as const, span: join(sp(open), sp(close)), items, trailingComma: trailing }));
  });

  private atom = this.RULE('atom', (): Value => {
    return this.OR([
      {
        ALT: () => {
          const first = this.CONSUME(StringLit);
          const more: IToken[] = [];
          this.MANY(() => {
            const t = this.OR2([{ ALT: () => this.CONSUME2(StringLit) }, { ALT: () => this.CONSUME(TripleString) }]);
            this.ACTION(() => more.push(t));
          });
          return this.ACTION(() => {
            const s = this.stringValue(first);
            if (more.length === 0) return s;
            const parts: Value[] = [s, ...more.map((t) => (t.tokenType === StringLit ? this.stringValue(t) : this.tripleValue(t)))];
            return this.py(join(s.span, sp(more[more.length - 1])), 'strings written side by side (Python joins them)', parts);
          });
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME2(TripleString);
          return this.ACTION(() => this.py(sp(t), "a triple-quoted string ('''…''')", [this.tripleValue(t)]));
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(UnterminatedString);
          return this.ACTION(() => {
            this.cur.unterminated = true;
            const q = t.image[0];
            this.problems.push({
              span: sp(t),
              message: `This string is not closed: add the closing ${q} before the end of the line (strings cannot span lines).`,
            });
            const s = this.stringValue(t, true);
            return s;
          });
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(NumberLit);
          return this.ACTION((): Value => {
            const text = t.image;
            if (XL_NUMBER.test(text)) return this.numberValue(t);
            if (PY_NUMBER.test(text)) return this.py(sp(t), `the Python number ${short(text)}`, []);
            this.problems.push({ span: sp(t), message: `'${short(text)}' is not a number.` });
            return this.numberValue(t);
          });
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(Ident);
          return this.ACTION(() => this.py(sp(t), PY_CONSTANTS.has(t.image) ? `Python's ${t.image}` : `a Python variable ('${short(t.image)}')`, []));
        },
      },
      { ALT: () => this.SUBRULE(this.list) },
      {
        ALT: () => {
          const open = this.CONSUME(LParen);
          let inner: Value | undefined;
          this.OPTION(() => {
            inner = this.SUBRULE(this.exprList);
          });
          const close = this.CONSUME(RParen);
          return this.ACTION(() => this.py(join(sp(open), sp(close)), 'parentheses', inner ? [inner] : []));
        },
      },
      {
        ALT: () => {
          const open = this.CONSUME(LBrace);
          const parts: Value[] = [];
          this.OPTION2(() => {
            this.SUBRULE(this.entry, { ARGS: [parts] });
            this.MANY2(() => {
              this.CONSUME2(Comma);
              this.OPTION3(() => this.SUBRULE2(this.entry, { ARGS: [parts] }));
            });
          });
          const close = this.CONSUME(RBrace);
          return this.ACTION(() => this.py(join(sp(open), sp(close)), 'a Python dictionary ({ })', parts));
        },
      },
    ]);
  });

  private entry = this.RULE('entry', (parts: Value[]) => {
    const k = this.SUBRULE(this.expr);
    this.CONSUME(Colon);
    const v = this.SUBRULE2(this.expr);
    this.ACTION(() => parts.push(k, v));
  });

  numberValue(t: IToken): NumberValue {
    const text = t.image;
    let value = NaN;
    if (/^0x[0-9a-f]+$/.test(text)) value = parseInt(text.slice(2), 16);
    else if (/^0[0-7]*$/.test(text)) value = text.length > 1 ? parseInt(text.slice(1), 8) : 0;
    else if (/^[1-9][0-9]*$/.test(text)) value = Number(text);
    return { kind: 'number', span: sp(t), text, value };
  }

  private tripleValue(t: IToken): StringValue {
    const start = t.startOffset;
    const end = start + t.image.length;
    return {
      kind: 'string',
      span: { start, end },
      contentSpan: { start: start + 3, end: end - 3 },
      quote: t.image[0] as "'" | '"',
      value: t.image.slice(3, -3),
    };
  }

  /** Decodes a quoted string with xl's escapes; escapes xl refuses are xl issues (Python keeps them). */
  stringValue(t: IToken, unterminated = false): StringValue {
    const img = t.image;
    const start = t.startOffset;
    const quote = img[0] as "'" | '"';
    const closed = !unterminated;
    const contentEnd = closed ? img.length - 1 : img.length;
    const content = img.slice(1, contentEnd);
    const span = { start, end: start + img.length };
    const contentSpan = { start: start + 1, end: start + contentEnd };
    if (content.indexOf('\\') < 0) return { kind: 'string', span, contentSpan, quote, value: content };
    let value = '';
    const offsets: number[] = [];
    let i = 0;
    while (i < content.length) {
      const c = content[i];
      const at = contentSpan.start + i;
      if (c !== '\\' || i + 1 >= content.length) {
        offsets.push(at);
        value += c;
        i++;
        continue;
      }
      const n = content[i + 1];
      if (n in ESCAPES) {
        offsets.push(at);
        value += ESCAPES[n];
        i += 2;
      } else if (n === 'x') {
        const hex = /^[0-9a-fA-F]{2}/.exec(content.slice(i + 2, i + 4));
        if (hex) {
          offsets.push(at);
          value += String.fromCharCode(parseInt(hex[0], 16));
          i += 4;
        } else {
          this.issues.push({ span: { start: at, end: at + 2 }, kind: 'lexical', message: "xl needs exactly two hexadecimal digits after '\\x' in a string." });
          offsets.push(at);
          value += '\\';
          i++;
        }
      } else if (n >= '0' && n <= '7') {
        const oct = /^[0-7]{1,3}/.exec(content.slice(i + 1, i + 4))![0];
        offsets.push(at);
        value += String.fromCharCode(parseInt(oct, 8));
        i += 1 + oct.length;
      } else {
        this.issues.push({
          span: { start: at, end: at + 2 },
          kind: 'lexical',
          message: `xl does not know the escape '\\${n}' in a string (it knows \\' \\" \\\\ \\n \\t \\r \\a \\b \\f \\v, \\xHH and octal); write '\\\\' for a backslash.`,
        });
        offsets.push(at);
        value += '\\';
        i++;
      }
    }
    offsets.push(contentSpan.end);
    return { kind: 'string', span, contentSpan, quote, value, offsets };
  }
}

let parserInstance: DomainParser | undefined;
function getParser(): DomainParser {
  return (parserInstance ??= new DomainParser());
}

/** Parses a domain file (xl syntax and the Python of xm files). Never throws. */
export function parseDomain(text: string): DomainFile {
  const parser = getParser();
  parser.issues = [];
  parser.problems = [];
  const lex = tokenize(text);
  const tokens = lex.tokens;
  const comments: Comment[] = lex.comments.map((t) => ({ span: sp(t), text: t.image }));
  const statements: Statement[] = [];
  const errors: SyntaxProblem[] = parser.problems;
  const issues: XlIssue[] = parser.issues;

  // Python's line continuations, a BOM, carriage returns: xl's lexer refuses them.
  // (the first hundred: each says the same)
  for (const t of lex.continuations.slice(0, 100)) issues.push({ span: sp(t), kind: 'python', message: "xl does not join lines with '\\'." });
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
  const lastComment = lex.comments[lex.comments.length - 1];
  if (lastComment && lastComment.startOffset + lastComment.image.length === text.length) {
    issues.push({ span: sp(lastComment), kind: 'lexical', message: 'xl needs a line break after a comment on the last line.' });
  }

  // Python blocks: (indent, keyword) of open headers, to tell function locals and conditional settings.
  const blocks: { indent: number; keyword: string }[] = [];
  let lineStart = 0;
  let i = 0;
  const n = tokens.length;
  let notRead: DomainFile['notRead'];
  while (i < n) {
    checkpoint();
    const t = tokens[i];
    const tt = t.tokenType;
    if (statements.length >= MAX_DOMAIN_STATEMENTS || errors.length + issues.length >= MAX_DOMAIN_PROBLEMS) {
      notRead = {
        span: sp(t),
        message: `This file is not read from here on: it holds more than ${statements.length >= MAX_DOMAIN_STATEMENTS ? `${MAX_DOMAIN_STATEMENTS.toLocaleString('en')} statements` : `${MAX_DOMAIN_PROBLEMS.toLocaleString('en')} problems`} (a domain file holds a few dozen settings).`,
      };
      break;
    }
    if (tt === Newline) {
      lineStart = t.startOffset + t.image.length;
      i++;
      continue;
    }
    if (tt === Semicolon) {
      i++;
      continue;
    }
    // Gather one statement: up to a line end or ';' outside brackets.
    const begin = i;
    const stack: TokenType[] = [];
    let end = i;
    let cutLineStart = -1;
    let tooDeep: IToken | undefined;
    for (; end < n; end++) {
      checkpoint();
      const u = tokens[end];
      const ut = u.tokenType;
      if (ut === LBracket || ut === LParen || ut === LBrace) {
        stack.push(ut);
        if (stack.length > MAX_DEPTH && !tooDeep) tooDeep = u;
      } else if (ut === RBracket || ut === RParen || ut === RBrace) {
        if (stack.length) stack.pop();
      } else if (ut === Newline) {
        if (stack.length === 0) break;
        // An unclosed list must not swallow the next setting: a line that starts `name =` ends it.
        const a = tokens[end + 1];
        const b = tokens[end + 2];
        if (a && b && a.tokenType === Ident && (b.tokenType === Equals || b.tokenType === PlusEq)) {
          const nextLineStart = u.startOffset + u.image.length;
          if (stack[stack.length - 1] === LBracket || a.startOffset === nextLineStart) {
            cutLineStart = nextLineStart;
            break;
          }
        }
      } else if (ut === Semicolon && stack.length === 0) break;
    }
    i = end;
    const indent = t.startOffset - lineStart;
    if (tooDeep) errors.push({ span: sp(tooDeep), message: `Brackets are nested more than ${MAX_DEPTH} deep here; this setting is not read.` });
    else if (end - begin > MAX_STATEMENT_TOKENS) {
      notRead ??= {
        span: sp(t),
        message: `This statement holds more than ${MAX_STATEMENT_TOKENS.toLocaleString('en')} words and signs: it is not read nor checked.`,
      };
    } else parseStatement(parser, tokens, begin, end, text, statements, errors, issues, blocks, indent);
    if (cutLineStart >= 0) {
      lineStart = cutLineStart;
      i = end + 1;
    }
  }

  const usesPython = issues.some((x) => x.kind === 'python');
  const file: DomainFile = { kind: 'file', span: { start: 0, end: text.length }, statements, comments, errors, xlIssues: issues, usesPython };
  if (notRead) file.notRead = notRead;
  return file;
}

const filtered = (chunk: IToken[]): IToken[] => {
  // Newlines inside brackets carry no meaning for either syntax.
  let has = false;
  for (const t of chunk) if (t.tokenType === Newline) has = true;
  return has ? chunk.filter((t) => t.tokenType !== Newline) : chunk;
};

function parseStatement(
  parser: DomainParser,
  tokens: IToken[],
  begin: number,
  end: number,
  text: string,
  statements: Statement[],
  errors: SyntaxProblem[],
  issues: XlIssue[],
  blocks: { indent: number; keyword: string }[],
  indent: number,
): void {
  if (end <= begin) return;
  while (blocks.length && blocks[blocks.length - 1].indent >= indent) blocks.pop();
  const local = blocks.length > 0 && blocks.some((b) => b.keyword === 'def' || b.keyword === 'class');
  const conditional = blocks.length > 0;
  const first = tokens[begin];
  const second = end - begin > 1 ? tokens[begin + 1] : undefined;
  const assigns = second !== undefined && (second.tokenType === Equals || second.tokenType === PlusEq);

  // Fast path for the common xl shapes (`key = 'string'`, `key = 123`, `key = [ 'a', 'b' ]`);
  // everything else goes through the chevrotain parser.
  if (assigns && first.tokenType === Ident && end - begin >= 3 && XL_IDENT.test(first.image)) {
    const value = fastValue(parser, tokens, begin, end);
    if (value) {
      const span: Span = { start: first.startOffset, end: value.span.end };
      statements.push({
        kind: 'assignment',
        span,
        key: { name: first.image, span: sp(first) },
        op: second!.image,
        opSpan: sp(second!),
        value,
        local,
        conditional,
      });
      return;
    }
  }

  const chunk = filtered(tokens.slice(begin, end));
  if (chunk.length === 0) return;
  const last = chunk[chunk.length - 1];
  const span: Span = { start: first.startOffset, end: last.startOffset + last.image.length };

  // Python statements that start with a keyword (`import`, `def f():`, `else:`…) unless the
  // keyword is used as a key (`if = 1` is a valid xl setting).
  if (first.tokenType === Ident && !assigns && (BLOCK_KEYWORDS.has(first.image) || SIMPLE_KEYWORDS.has(first.image))) {
    const keyword = first.image;
    const header = BLOCK_KEYWORDS.has(keyword);
    const st: PythonStatement = { kind: 'python', span, keyword, header, local };
    if ((keyword === 'def' || keyword === 'class') && second && second.tokenType === Ident) st.name = { name: second.image, span: sp(second) };
    statements.push(st);
    issues.push({ span, kind: 'python', message: `xl does not run Python: '${keyword}' statements are not allowed.` });
    if (header) {
      blocks.push({ indent, keyword });
      if (last.tokenType !== Colon && !chunk.some((t) => t.tokenType === Colon)) {
        errors.push({ span: { start: span.end, end: span.end }, message: `Expected ':' at the end of this '${keyword}' line.` });
      }
    }
    return;
  }

  parser.cur = { targets: [], ops: [], unterminated: false };
  parser.input = chunk;
  parser.statement();
  const cur = parser.cur;
  const perrs = parser.errors;
  let failed = false;
  if (perrs.length) {
    failed = true;
    const e = perrs[0];
    const tok = e.token;
    const atEnd = !tok || tok.tokenType === EOF || isNaN(tok.startOffset);
    if (!(atEnd && cur.unterminated)) {
      let message = e.message;
      const espan: Span = atEnd ? { start: span.end, end: span.end } : sp(tok);
      const t0 = cur.targets[0];
      if (e.name === 'NotAllInputParsedException' && cur.ops.length === 0 && t0 && t0.kind === 'python' && t0.construct.startsWith('a Python variable')) {
        message = `Expected '=' after '${short(text.slice(t0.span.start, t0.span.end))}', but found ${describeToken(tok)}.`;
      } else if (atEnd && cur.ops.length > cur.targets.length - 1 && cur.ops[cur.ops.length - 1] === chunk[chunk.length - 1]) {
        message = `Expected ${VALUE_WORDS} after '${cur.ops[cur.ops.length - 1].image}'.`;
      }
      if (!atEnd && (tok.tokenType === Equals || tok.tokenType === PlusEq) && tok === chunk[0]) message = `Expected a name before '${tok.image}'.`;
      errors.push({ span: espan, message });
    }
  }

  const targets = cur.targets;
  const ops = cur.ops;
  const target = targets[0];
  if (ops.length === 0) {
    // An expression on its own: a Python call such as `xm_vars.check()`, or a setting missing its '='.
    if (!target) return;
    if (target.kind === 'python' && target.construct.startsWith('a Python variable')) {
      if (!failed) errors.push({ span: target.span, message: `Expected '=' and a value after '${short(text.slice(target.span.start, target.span.end))}'.` });
      const a: Assignment = {
        kind: 'assignment',
        span,
        key: { name: text.slice(target.span.start, target.span.end), span: target.span },
        op: '=',
        opSpan: null,
        value: null,
        local,
        conditional,
      };
      statements.push(a);
      return;
    }
    if (failed) return;
    if (target.kind !== 'python') {
      if (!failed) errors.push({ span: target.span, message: `Expected a setting 'name = value', but found a value alone.` });
      return;
    }
    statements.push({ kind: 'python', span, keyword: 'expression', header: false, local });
    issues.push({ span, kind: 'python', message: `xl does not run Python: ${target.construct} is not allowed here; xl reads only 'name = value' lines.` });
    return;
  }

  // An assignment. The key is a name (xl: lower-case letters, digits, '_' and '.').
  let key: Assignment['key'] = null;
  let pythonTarget: PythonValue | undefined;
  if (target && target.kind === 'python' && target.construct.startsWith('a Python variable')) {
    const name = text.slice(target.span.start, target.span.end);
    key = { name, span: target.span };
    if (!XL_IDENT.test(name)) {
      issues.push({
        span: target.span,
        kind: 'python',
        message: `xl accepts only names of lower-case letters, digits, '_' and '.', starting with a letter; '${short(name)}' is Python.`,
      });
    }
  } else if (target) {
    if (target.kind === 'python') pythonTarget = target;
    if (target.kind === 'python')
      issues.push({ span: target.span, kind: 'python', message: `xl does not run Python: it cannot assign to ${target.construct}.` });
    else errors.push({ span: target.span, message: `Expected a name before '${ops[0].image}', but found a value.` });
  }
  const op = ops[0];
  if (op.tokenType === AugAssign) issues.push({ span: sp(op), kind: 'python', message: `xl knows only '=' and '+='; '${op.image}' is Python.` });
  if (ops.length > 1) issues.push({ span: sp(ops[1]), kind: 'python', message: 'xl does not allow chained assignments (a = b = value).' });
  const value = targets.length > 1 ? targets[targets.length - 1] : null;
  if (value) collectPython(value, issues);
  const a: Assignment = { kind: 'assignment', span, key, op: op.image, opSpan: sp(op), value: value ?? null, local, conditional };
  if (pythonTarget) a.pythonTarget = pythonTarget;
  statements.push(a);
}

function fastAtom(parser: DomainParser, t: IToken): Value | undefined {
  if (t.tokenType === StringLit) return parser.stringValue(t);
  if (t.tokenType === NumberLit && XL_NUMBER.test(t.image)) return parser.numberValue(t);
  return undefined;
}

function fastValue(parser: DomainParser, tokens: IToken[], begin: number, end: number): Value | undefined {
  const len = end - begin;
  if (len < 3) return undefined;
  if (len === 3) return fastAtom(parser, tokens[begin + 2]);
  const open = tokens[begin + 2];
  const close = tokens[end - 1];
  if (open.tokenType !== LBracket || close.tokenType !== RBracket) return undefined;
  const items: Value[] = [];
  let expectItem = true;
  let trailing = false;
  for (let k = begin + 3; k < end - 1; k++) {
    const t = tokens[k];
    if (expectItem) {
      const v = fastAtom(parser, t);
      if (!v) return undefined;
      items.push(v);
      expectItem = false;
      trailing = false;
    } else {
      if (t.tokenType !== Comma) return undefined;
      expectItem = true;
      trailing = true;
    }
  }
  if (expectItem && items.length > 0 && !trailing) return undefined;
  return { kind: 'list', span: { start: open.startOffset, end: close.startOffset + 1 }, items, trailingComma: trailing };
}

/** Records the outermost Python constructs of a value (lists are xl; items may be Python). */
function collectPython(v: Value, issues: XlIssue[]): void {
  if (v.kind === 'python') {
    issues.push({ span: v.span, kind: 'python', message: `xl does not evaluate Python: ${v.construct} is not allowed; write the final value.` });
  } else if (v.kind === 'list') {
    for (const item of v.items) collectPython(item, issues);
  }
}
