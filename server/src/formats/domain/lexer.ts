// The tokens of domain files, read by hand into typed arrays: a kind (one byte) and the start and
// end offsets of each token, no object and no string per token. One scanner serves xl and xm: it
// reads everything Python files need (operators, parentheses, triple-quoted strings, line
// continuations) and the parser decides what xl would refuse. Lexing is total: any text yields
// tokens (anything unknown is an `Unknown` token of one UTF-16 unit), and it never throws.
//
// The token kinds and their first-match rules are those of the chevrotain token types in
// grammar.ts (the parser of the Python subset); a property test checks that both readers agree.

/** Token kinds (indexes into grammar.ts's chevrotain token types, same order). */
export const K = {
  Newline: 0,
  TripleString: 1,
  StringLit: 2,
  UnterminatedString: 3,
  NumberLit: 4,
  Ident: 5,
  PlusEq: 6,
  AugAssign: 7,
  CompareOp: 8,
  Equals: 9,
  PlusMinus: 10,
  Tilde: 11,
  OtherOp: 12,
  Comma: 13,
  LBracket: 14,
  RBracket: 15,
  LParen: 16,
  RParen: 17,
  LBrace: 18,
  RBrace: 19,
  Colon: 20,
  Semicolon: 21,
  Dot: 22,
  Unknown: 23,
} as const;

/** What the scanner read: tokens (line breaks included), comments and `\` line continuations, as offsets. */
export interface Scan {
  /** Number of tokens. */
  count: number;
  kinds: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  commentCount: number;
  /** Start and end of each comment, in pairs. */
  comments: Int32Array;
  continuationCount: number;
  /** Start and end of each continuation, in pairs. */
  continuations: Int32Array;
}

const isIdentStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isWord = (c: number) => isIdentStart(c) || (c >= 48 && c <= 57);
const isDigit = (c: number) => c >= 48 && c <= 57;

function grow32(a: Int32Array<ArrayBuffer>, min: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(Math.max(min, a.length * 2));
  b.set(a);
  return b;
}

/**
 * Reads any text into tokens, in one pass over char codes, exactly as the chevrotain lexer over
 * grammar.ts's token types would (first matching pattern wins). Never throws.
 */
export function scan(text: string): Scan {
  const n = text.length;
  // a first guess at the token count (about one token in four characters in real files); grown by doubling
  let cap = Math.max(64, n >> 2);
  let kinds = new Uint8Array(cap);
  let starts = new Int32Array(cap);
  let ends = new Int32Array(cap);
  let count = 0;
  let comments = new Int32Array(64);
  let commentCount = 0;
  let continuations = new Int32Array(8);
  let continuationCount = 0;
  const push = (kind: number, start: number, end: number) => {
    if (count === cap) {
      cap *= 2;
      const k = new Uint8Array(cap);
      k.set(kinds);
      kinds = k;
      starts = grow32(starts, cap);
      ends = grow32(ends, cap);
    }
    kinds[count] = kind;
    starts[count] = start;
    ends[count] = end;
    count++;
  };
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
        if (continuationCount * 2 + 2 > continuations.length) continuations = grow32(continuations, continuationCount * 2 + 2);
        continuations[continuationCount * 2] = start;
        continuations[continuationCount * 2 + 1] = i;
        continuationCount++;
        continue;
      }
      push(K.Unknown, start, ++i);
      continue;
    }
    if (c === 10 || c === 13) {
      i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
      push(K.Newline, start, i);
      continue;
    }
    if (c === 35 /* # */) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 10 || d === 13) break;
        i++;
      }
      if (commentCount * 2 + 2 > comments.length) comments = grow32(comments, commentCount * 2 + 2);
      comments[commentCount * 2] = start;
      comments[commentCount * 2 + 1] = i;
      commentCount++;
      continue;
    }
    if (c === 39 || c === 34) {
      // triple-quoted string, when closed
      if (text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c) {
        const close = text.indexOf(c === 39 ? "'''" : '"""', i + 3);
        if (close >= 0) {
          i = close + 3;
          push(K.TripleString, start, i);
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
      push(closed ? K.StringLit : K.UnterminatedString, start, i);
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) {
      i++;
      while (i < n && isWord(text.charCodeAt(i))) i++;
      if (c !== 46 && text.charCodeAt(i) === 46) {
        i++;
        while (i < n && isWord(text.charCodeAt(i))) i++;
      }
      push(K.NumberLit, start, i);
      continue;
    }
    if (isIdentStart(c)) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (isWord(d) || d === 46) i++;
        else break;
      }
      push(K.Ident, start, i);
      continue;
    }
    const c1 = text.charCodeAt(i + 1);
    const c2 = text.charCodeAt(i + 2);
    let kind: number = K.Unknown;
    let len = 1;
    switch (c) {
      case 43: // +
        if (c1 === 61) {
          kind = K.PlusEq;
          len = 2;
        } else kind = K.PlusMinus;
        break;
      case 45: // -
        if (c1 === 61) {
          kind = K.AugAssign;
          len = 2;
        } else kind = K.PlusMinus;
        break;
      case 42: // * (and ** **= *=)
      case 47: // / (and // //= /=)
        if (c1 === c) {
          if (c2 === 61) {
            kind = K.AugAssign;
            len = 3;
          } else {
            kind = K.OtherOp;
            len = 2;
          }
        } else if (c1 === 61) {
          kind = K.AugAssign;
          len = 2;
        } else kind = K.OtherOp;
        break;
      case 37: // %
      case 38: // &
      case 124: // |
      case 94: // ^
        if (c1 === 61) {
          kind = K.AugAssign;
          len = 2;
        } else kind = K.OtherOp;
        break;
      case 60: // <
      case 62: // >
        if (c1 === c) {
          if (c2 === 61) {
            kind = K.AugAssign;
            len = 3;
          } else {
            kind = K.OtherOp;
            len = 2;
          }
        } else if (c1 === 61 || (c === 60 && c1 === 62)) {
          kind = K.CompareOp;
          len = 2;
        } else kind = K.OtherOp;
        break;
      case 61: // =
        if (c1 === 61) {
          kind = K.CompareOp;
          len = 2;
        } else kind = K.Equals;
        break;
      case 33: // !
        if (c1 === 61) {
          kind = K.CompareOp;
          len = 2;
        }
        break;
      case 64: // @
        kind = K.OtherOp;
        break;
      case 126:
        kind = K.Tilde;
        break;
      case 44:
        kind = K.Comma;
        break;
      case 91:
        kind = K.LBracket;
        break;
      case 93:
        kind = K.RBracket;
        break;
      case 40:
        kind = K.LParen;
        break;
      case 41:
        kind = K.RParen;
        break;
      case 123:
        kind = K.LBrace;
        break;
      case 125:
        kind = K.RBrace;
        break;
      case 58:
        kind = K.Colon;
        break;
      case 59:
        kind = K.Semicolon;
        break;
      case 46:
        kind = K.Dot;
        break;
    }
    i += len;
    push(kind, start, i);
  }
  return { count, kinds, starts, ends, commentCount, comments, continuationCount, continuations };
}
