// Shell wildcards (`*`, `?`, `[...]`, `[!...]`, `\x`), as fnmatch(3) reads them without flags
// (a `*` may take a `/`; `source` matches one path segment at a time), matched without regular expressions: the
// pattern is read into tokens that each match one character, except `*`, and a name is matched
// by two pointers with one backtrack point (the last `*` seen). Every step either advances in the
// name or moves the backtrack point forward, so a match costs at most O(pattern × name) steps
// and no stack, whatever the pattern (`*a*a*a*…b` against a long run of `a` included).

/** One token of a wildcard pattern. */
type Token = { kind: 'star' } | { kind: 'any' } | { kind: 'char'; ch: string } | { kind: 'set'; negated: boolean; singles: string; ranges: string[] };

/** A pattern read once, to match many names against. */
export interface Wildcard {
  readonly pattern: string;
  matches(name: string): boolean;
}

function tokenize(pattern: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '*') {
      // consecutive stars are one star
      if (out.length === 0 || out[out.length - 1].kind !== 'star') out.push({ kind: 'star' });
      i++;
    } else if (c === '?') {
      out.push({ kind: 'any' });
      i++;
    } else if (c === '\\' && i + 1 < pattern.length) {
      out.push({ kind: 'char', ch: pattern[i + 1] });
      i += 2;
    } else if (c === '[') {
      const set = readSet(pattern, i);
      if (set) {
        out.push(set.token);
        i = set.end;
      } else {
        out.push({ kind: 'char', ch: '[' });
        i++;
      }
    } else {
      out.push({ kind: 'char', ch: c });
      i++;
    }
  }
  return out;
}

/** A bracket expression starting at `[` (pattern[start]); undefined when it has no closing `]` (the `[` is then an ordinary character). */
function readSet(pattern: string, start: number): { token: Token; end: number } | undefined {
  let i = start + 1;
  let negated = false;
  if (pattern[i] === '!' || pattern[i] === '^') {
    negated = true;
    i++;
  }
  let singles = '';
  const ranges: string[] = [];
  let first = true;
  while (i < pattern.length) {
    let c = pattern[i];
    if (c === ']' && !first) return { token: { kind: 'set', negated, singles, ranges }, end: i + 1 };
    first = false;
    if (c === '\\' && i + 1 < pattern.length) {
      i++;
      c = pattern[i];
    }
    if (pattern[i + 1] === '-' && i + 2 < pattern.length && pattern[i + 2] !== ']') {
      let hi = pattern[i + 2];
      let next = i + 3;
      if (hi === '\\' && i + 3 < pattern.length) {
        hi = pattern[i + 3];
        next = i + 4;
      }
      ranges.push(c + hi);
      i = next;
    } else {
      singles += c;
      i++;
    }
  }
  return undefined;
}

function matchesOne(t: Token, ch: string): boolean {
  switch (t.kind) {
    case 'char':
      return t.ch === ch;
    case 'any':
      return true;
    case 'set': {
      let inside = t.singles.includes(ch);
      for (let r = 0; !inside && r < t.ranges.length; r++) inside = t.ranges[r][0] <= ch && ch <= t.ranges[r][1];
      return inside !== t.negated;
    }
    default:
      return false;
  }
}

function matchTokens(tokens: Token[], name: string): boolean {
  let p = 0;
  let n = 0;
  // the token after the last star, and the name position that star's match ends at
  let starP = -1;
  let starN = 0;
  while (n < name.length) {
    const t = tokens[p];
    if (p < tokens.length && t.kind === 'star') {
      starP = ++p;
      starN = n;
    } else if (p < tokens.length && matchesOne(t, name[n])) {
      p++;
      n++;
    } else if (starP >= 0) {
      // let the last star take one more character, and try the rest again from there
      p = starP;
      n = ++starN;
    } else {
      return false;
    }
  }
  while (p < tokens.length && tokens[p].kind === 'star') p++;
  return p === tokens.length;
}

/** Reads a wildcard pattern once; its matches() then costs at most O(pattern × name) steps. */
export function compileWildcard(pattern: string): Wildcard {
  const tokens = tokenize(pattern);
  return { pattern, matches: (name: string) => matchTokens(tokens, name) };
}

/** Whether name matches the wildcard pattern (see compileWildcard). */
export function wildcardMatch(pattern: string, name: string): boolean {
  return compileWildcard(pattern).matches(name);
}

/** Whether a pattern holds a wildcard character (`*`, `?` or `[`). */
export function hasWildcard(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' || c === '?' || c === '[') return true;
  }
  return false;
}
