// The grammar of the Python subset that xm files use (of which xl's syntax is a part), as a
// chevrotain parser: the statements that the driver in parser.ts cannot read on its fast path
// (Python, lists of lists, errors) are parsed here. The chevrotain token types are those of
// lexer.ts's hand scanner (same kinds, same order); the parser is built on first use, and the
// chevrotain lexer only by the tests, as the reference the hand scanner is checked against.
import { createToken, EmbeddedActionsParser, EOF, Lexer, type IToken, type TokenType, type IParserErrorMessageProvider } from 'chevrotain';
import type { Assignment, ListValue, NumberValue, PythonValue, Span, Statement, StringValue, SyntaxProblem, Value, XlIssue } from './ast';
import { K } from './lexer';
import { numberValue, short, stringValue, tripleValue, XL_IDENT, XL_NUMBER } from './values';

const K_NEWLINE = K.Newline;

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\f\v\u00a0]+/, group: Lexer.SKIPPED });
export const LineContinuation = createToken({
  name: 'LineContinuation',
  pattern: /\\(?:\r\n|\r|\n)/,
  line_breaks: true,
  group: 'continuations',
  label: "a '\\' line continuation",
});
export const Newline = createToken({ name: 'Newline', pattern: /\r\n|\r|\n/, line_breaks: true, label: 'the end of the line' });
export const Comment = createToken({ name: 'Comment', pattern: /#[^\r\n]*/, group: 'comments' });
export const TripleString = createToken({
  name: 'TripleString',
  pattern: /'''[^]*?'''|"""[^]*?"""/,
  line_breaks: true,
  label: 'a triple-quoted string',
});
export const StringLit = createToken({
  name: 'String',
  pattern: /'[^'\\\r\n]*(?:\\[^\r\n][^'\\\r\n]*)*'|"[^"\\\r\n]*(?:\\[^\r\n][^"\\\r\n]*)*"/,
  label: 'a quoted string (\'…\' or "…")',
});
export const UnterminatedString = createToken({
  name: 'UnterminatedString',
  pattern: /'[^'\\\r\n]*(?:\\[^\r\n][^'\\\r\n]*)*\\?|"[^"\\\r\n]*(?:\\[^\r\n][^"\\\r\n]*)*\\?/,
  label: 'an unterminated string',
});
export const NumberLit = createToken({
  name: 'Number',
  pattern: /[0-9][0-9A-Za-z_]*(?:\.[0-9A-Za-z_]*)?|\.[0-9][0-9A-Za-z_]*/,
  label: 'a number',
});
export const Ident = createToken({ name: 'Ident', pattern: /[A-Za-z_][A-Za-z0-9_.]*/, label: 'a name' });
export const PlusEq = createToken({ name: 'PlusEq', pattern: /\+=/, label: "'+='" });
export const AugAssign = createToken({ name: 'AugAssign', pattern: /(?:-|\*\*|\*|\/\/|\/|%|&|\||\^|<<|>>)=/, label: 'an augmented assignment' });
export const CompareOp = createToken({ name: 'CompareOp', pattern: /==|!=|<>|<=|>=/, label: 'a comparison' });
export const Equals = createToken({ name: 'Equals', pattern: /=/, label: "'='" });
export const PlusMinus = createToken({ name: 'PlusMinus', pattern: /[+-]/, label: "'+' or '-'" });
export const Tilde = createToken({ name: 'Tilde', pattern: /~/, label: "'~'" });
export const OtherOp = createToken({ name: 'OtherOp', pattern: /\*\*|\/\/|<<|>>|[*/%<>&|^@]/, label: 'an operator' });
export const Comma = createToken({ name: 'Comma', pattern: /,/, label: "','" });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/, label: "'['" });
export const RBracket = createToken({ name: 'RBracket', pattern: /]/, label: "']'" });
export const LParen = createToken({ name: 'LParen', pattern: /\(/, label: "'('" });
export const RParen = createToken({ name: 'RParen', pattern: /\)/, label: "')'" });
export const LBrace = createToken({ name: 'LBrace', pattern: /\{/, label: "'{'" });
export const RBrace = createToken({ name: 'RBrace', pattern: /\}/, label: "'}'" });
export const Colon = createToken({ name: 'Colon', pattern: /:/, label: "':'" });
export const Semicolon = createToken({ name: 'Semicolon', pattern: /;/, label: "';'" });
export const Dot = createToken({ name: 'Dot', pattern: /\./, label: "'.'" });
// eslint-disable-next-line no-control-regex -- any one character, control characters included
export const Unknown = createToken({ name: 'Unknown', pattern: /[\u0000-\uffff]/, line_breaks: true, label: 'an unexpected character' });

export const allTokens: TokenType[] = [
  WhiteSpace,
  LineContinuation,
  Newline,
  Comment,
  TripleString,
  StringLit,
  UnterminatedString,
  NumberLit,
  Ident,
  PlusEq,
  AugAssign,
  CompareOp,
  Equals,
  PlusMinus,
  Tilde,
  OtherOp,
  Comma,
  LBracket,
  RBracket,
  LParen,
  RParen,
  LBrace,
  RBrace,
  Colon,
  Semicolon,
  Dot,
  Unknown,
];

/** The token type of each of lexer.ts's kinds (K), by index: allTokens less what the scanner keeps aside (white space, continuations, comments). */
export const TYPE_OF_KIND: TokenType[] = allTokens.filter((t) => t !== WhiteSpace && t !== LineContinuation && t !== Comment);

/** The chevrotain lexer over `allTokens`: the reference lexer.ts's scanner is tested against (never used to read files). */
let lexer: Lexer | undefined;
export function tokenizeWithChevrotain(text: string): { tokens: IToken[]; comments: IToken[]; continuations: IToken[] } {
  lexer ??= new Lexer(allTokens, { positionTracking: 'onlyOffset', ensureOptimizations: true, skipValidations: true });
  const r = lexer.tokenize(text);
  return {
    tokens: r.tokens,
    comments: (r.groups.comments as IToken[] | undefined) ?? [],
    continuations: (r.groups.continuations as IToken[] | undefined) ?? [],
  };
}

const KEYWORD_OPS = new Set(['and', 'or', 'in', 'is', 'not', 'if', 'else']);
const PY_CONSTANTS = new Set(['True', 'False', 'None']);
const PY_NUMBER = /^(?:[0-9]+[lL]?|0[xX][0-9a-fA-F]+[lL]?|0[oO][0-7]+|0[bB][01]+|(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][+-]?[0-9]+)?[jJ]?)$/;

export function describeToken(t: IToken | undefined): string {
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

export const VALUE_WORDS = "a value (a number, a 'quoted string' or a [ list ])";

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

export interface Partial {
  targets: (Value | null)[];
  ops: IToken[];
  unterminated: boolean;
}

export function sp(t: IToken): Span {
  return { start: t.startOffset, end: t.startOffset + t.image.length };
}
function join(a: Span, b: Span): Span {
  return { start: a.start, end: b.end };
}

export class DomainParser extends EmbeddedActionsParser {
  /** Per-statement state read by the driver, also after an error. */
  cur: Partial = { targets: [], ops: [], unterminated: false };
  issues: XlIssue[] = [];
  problems: SyntaxProblem[] = [];
  /** The text of the file being read (the tokens' offsets point into it). */
  text = '';

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
            const s = this.str(first);
            if (more.length === 0) return s;
            const parts: Value[] = [s, ...more.map((t) => (t.tokenType === StringLit ? this.str(t) : this.triple(t)))];
            return this.py(join(s.span, sp(more[more.length - 1])), 'strings written side by side (Python joins them)', parts);
          });
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME2(TripleString);
          return this.ACTION(() => this.py(sp(t), "a triple-quoted string ('''…''')", [this.triple(t)]));
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
            const s = this.str(t, true);
            return s;
          });
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(NumberLit);
          return this.ACTION((): Value => {
            const text = t.image;
            if (XL_NUMBER.test(text)) return this.num(t);
            if (PY_NUMBER.test(text)) return this.py(sp(t), `the Python number ${short(text)}`, []);
            this.problems.push({ span: sp(t), message: `'${short(text)}' is not a number.` });
            return this.num(t);
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

  private str(t: IToken, unterminated = false): StringValue {
    return stringValue(this.text, t.startOffset, t.startOffset + t.image.length, this.issues, unterminated);
  }
  private triple(t: IToken): StringValue {
    return tripleValue(this.text, t.startOffset, t.startOffset + t.image.length);
  }
  private num(t: IToken): NumberValue {
    return numberValue(this.text, t.startOffset, t.startOffset + t.image.length);
  }
}

let parserInstance: DomainParser | undefined;
/** The parser, built (self-analysis and all) the first time a statement needs it. */
export function getParser(): DomainParser {
  return (parserInstance ??= new DomainParser());
}

/** What the driver knows of a statement it hands to the grammar. */
export interface StatementPlace {
  text: string;
  statements: Statement[];
  errors: SyntaxProblem[];
  issues: XlIssue[];
  /** The statement's span (its first token to its last). */
  span: Span;
  local: boolean;
  conditional: boolean;
}

/** The tokens [begin, end) of a scan as chevrotain tokens, line breaks left out (inside brackets they mean nothing). */
export function tokensOf(text: string, kinds: Uint8Array, starts: Int32Array, ends: Int32Array, begin: number, end: number): IToken[] {
  getParser(); // (the token types get their indexes when the parser is built)
  const out: IToken[] = [];
  for (let k = begin; k < end; k++) {
    if (kinds[k] === K_NEWLINE) continue;
    const type = TYPE_OF_KIND[kinds[k]];
    out.push({ image: text.slice(starts[k], ends[k]), startOffset: starts[k], tokenTypeIdx: type.tokenTypeIdx!, tokenType: type } as IToken);
  }
  return out;
}

/** Parses one statement (its tokens, line breaks left out) with the grammar and records what it is. */
export function parseWithGrammar(place: StatementPlace, chunk: IToken[]): void {
  const { text, statements, errors, issues, span, local, conditional } = place;
  const parser = getParser();
  parser.text = text;
  parser.issues = issues;
  parser.problems = errors;
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

/** Records the outermost Python constructs of a value (lists are xl; items may be Python). */
function collectPython(v: Value, issues: XlIssue[]): void {
  if (v.kind === 'python') {
    issues.push({ span: v.span, kind: 'python', message: `xl does not evaluate Python: ${v.construct} is not allowed; write the final value.` });
  } else if (v.kind === 'list') {
    for (const item of v.items) collectPython(item, issues);
  }
}

/** Whether the chevrotain parser has been built in this process (tests check it is built only when a statement needs it). */
export function grammarBuilt(): boolean {
  return parserInstance !== undefined;
}
