// Tokens of domain files. One lexer serves xl and xm: it reads everything Python files need
// (operators, parentheses, triple-quoted strings, line continuations) and the parser decides
// what xl would refuse. A catch-all token makes lexing total: any input yields tokens.
import { createToken, Lexer, type IToken, type TokenType } from 'chevrotain';

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

let lexer: Lexer | undefined;

export interface LexResult {
  tokens: IToken[];
  comments: IToken[];
  continuations: IToken[];
}

/** The chevrotain lexer over `allTokens`: the reference the fast scanner below is tested against. */
export function tokenizeWithChevrotain(text: string): LexResult {
  lexer ??= new Lexer(allTokens, { positionTracking: 'onlyOffset', ensureOptimizations: true, skipValidations: true });
  const r = lexer.tokenize(text);
  return {
    tokens: r.tokens,
    comments: (r.groups.comments as IToken[] | undefined) ?? [],
    continuations: (r.groups.continuations as IToken[] | undefined) ?? [],
  };
}

function tok(type: TokenType, text: string, start: number, end: number): IToken {
  return { image: text.slice(start, end), startOffset: start, tokenTypeIdx: type.tokenTypeIdx!, tokenType: type } as IToken;
}

const isIdentStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isWord = (c: number) => isIdentStart(c) || (c >= 48 && c <= 57);
const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * Tokenizes any text into the token types above, exactly as the chevrotain lexer over
 * `allTokens` would (first matching pattern wins; a test checks both agree), but several times
 * faster: the benchmark's 300,000-assignment files are lexed in one pass over char codes.
 * Never throws; anything unknown is an `Unknown` token of one UTF-16 unit.
 */
export function tokenize(text: string): LexResult {
  // Make sure the token types have their indexes (assigned when a lexer or parser is built).
  if (Ident.tokenTypeIdx === undefined) tokenizeWithChevrotain('');
  const tokens: IToken[] = [];
  const comments: IToken[] = [];
  const continuations: IToken[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const start = i;
    // whitespace [ \t\f\v\u00a0]+
    if (c === 32 || c === 9 || c === 12 || c === 11 || c === 0xa0) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 32 || d === 9 || d === 12 || d === 11 || d === 0xa0) i++;
        else break;
      }
      continue;
    }
    if (c === 92 /* \\ */) {
      const d = text.charCodeAt(i + 1);
      if (d === 10 || d === 13) {
        i += d === 13 && text.charCodeAt(i + 2) === 10 ? 3 : 2;
        continuations.push(tok(LineContinuation, text, start, i));
        continue;
      }
      tokens.push(tok(Unknown, text, start, ++i));
      continue;
    }
    if (c === 10 || c === 13) {
      i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
      tokens.push(tok(Newline, text, start, i));
      continue;
    }
    if (c === 35 /* # */) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 10 || d === 13) break;
        i++;
      }
      comments.push(tok(Comment, text, start, i));
      continue;
    }
    if (c === 39 || c === 34) {
      // triple-quoted string, when closed
      if (text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c) {
        const q3 = c === 39 ? "'''" : '"""';
        const close = text.indexOf(q3, i + 3);
        if (close >= 0) {
          i = close + 3;
          tokens.push(tok(TripleString, text, start, i));
          continue;
        }
      }
      i++;
      let closed = false;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === c) {
          i++;
          closed = true;
          break;
        }
        if (d === 10 || d === 13) break;
        if (d === 92) {
          const e = text.charCodeAt(i + 1);
          if (i + 1 >= n || e === 10 || e === 13) {
            i++; // a trailing backslash belongs to the unterminated string
            break;
          }
          i += 2;
          continue;
        }
        i++;
      }
      tokens.push(tok(closed ? StringLit : UnterminatedString, text, start, i));
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) {
      i++;
      while (i < n && isWord(text.charCodeAt(i))) i++;
      if (c !== 46 && text.charCodeAt(i) === 46) {
        i++;
        while (i < n && isWord(text.charCodeAt(i))) i++;
      }
      tokens.push(tok(NumberLit, text, start, i));
      continue;
    }
    if (isIdentStart(c)) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (isWord(d) || d === 46) i++;
        else break;
      }
      tokens.push(tok(Ident, text, start, i));
      continue;
    }
    const c1 = text.charCodeAt(i + 1);
    const c2 = text.charCodeAt(i + 2);
    let type: TokenType = Unknown;
    let len = 1;
    switch (c) {
      case 43: // +
        if (c1 === 61) {
          type = PlusEq;
          len = 2;
        } else type = PlusMinus;
        break;
      case 45: // -
        if (c1 === 61) {
          type = AugAssign;
          len = 2;
        } else type = PlusMinus;
        break;
      case 42: // * (and ** **= *=)
      case 47: // / (and // //= /=)
        if (c1 === c) {
          if (c2 === 61) {
            type = AugAssign;
            len = 3;
          } else {
            type = OtherOp;
            len = 2;
          }
        } else if (c1 === 61) {
          type = AugAssign;
          len = 2;
        } else type = OtherOp;
        break;
      case 37: // %
      case 38: // &
      case 124: // |
      case 94: // ^
        if (c1 === 61) {
          type = AugAssign;
          len = 2;
        } else type = OtherOp;
        break;
      case 60: // <
      case 62: // >
        if (c1 === c) {
          if (c2 === 61) {
            type = AugAssign;
            len = 3;
          } else {
            type = OtherOp;
            len = 2;
          }
        } else if (c1 === 61 || (c === 60 && c1 === 62)) {
          type = CompareOp;
          len = 2;
        } else type = OtherOp;
        break;
      case 61: // =
        if (c1 === 61) {
          type = CompareOp;
          len = 2;
        } else type = Equals;
        break;
      case 33: // !
        if (c1 === 61) {
          type = CompareOp;
          len = 2;
        }
        break;
      case 64: // @
        type = OtherOp;
        break;
      case 126:
        type = Tilde;
        break;
      case 44:
        type = Comma;
        break;
      case 91:
        type = LBracket;
        break;
      case 93:
        type = RBracket;
        break;
      case 40:
        type = LParen;
        break;
      case 41:
        type = RParen;
        break;
      case 123:
        type = LBrace;
        break;
      case 125:
        type = RBrace;
        break;
      case 58:
        type = Colon;
        break;
      case 59:
        type = Semicolon;
        break;
      case 46:
        type = Dot;
        break;
    }
    i += len;
    tokens.push(tok(type, text, start, i));
  }
  return { tokens, comments, continuations };
}
