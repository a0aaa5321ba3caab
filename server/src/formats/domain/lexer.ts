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
  label: "a quoted string ('…' or \"…\")",
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

/** Tokenizes any text; never throws and never reports lexer errors (Unknown covers the rest). */
export function tokenize(text: string): LexResult {
  lexer ??= new Lexer(allTokens, { positionTracking: 'onlyOffset', ensureOptimizations: true, skipValidations: true });
  const r = lexer.tokenize(text);
  return {
    tokens: r.tokens,
    comments: (r.groups.comments as IToken[] | undefined) ?? [],
    continuations: (r.groups.continuations as IToken[] | undefined) ?? [],
  };
}
