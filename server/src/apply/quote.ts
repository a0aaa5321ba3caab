// Quoting for POSIX sh. Every value that goes into a generated script goes through here: a single-
// quoted word is taken literally by sh (no $, `, \, glob or word splitting), and the only character
// that needs care inside it is the single quote itself.

/** The value as one sh word, taken literally: 'it'\''s' for it's. Throws on NUL (no sh string can hold it). */
export function shQuote(value: string): string {
  if (value.includes('\0')) throw new Error('a value holds a NUL character, which no shell word can carry');
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * A path pattern as an sh word whose `*` and `?` stay wildcards and everything else is literal:
 * '/etc/xen/'*'.cfg'. Brackets are not wildcards here (quoted like any other character).
 */
export function shGlob(pattern: string): string {
  const parts = pattern.split(/([*?])/);
  let out = '';
  for (const p of parts) {
    if (p === '*' || p === '?') out += p;
    else if (p !== '') out += shQuote(p);
  }
  return out === '' ? "''" : out;
}

/** True when the pattern has a wildcard that shGlob leaves active. */
export function isGlob(pattern: string): boolean {
  return /[*?]/.test(pattern);
}

/**
 * A value as it may be shown on one progress line: control characters (newlines included) and
 * backslashes written as escapes, so a hostile name cannot start a line of its own.
 */
export function displayValue(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\\\u0000-\u001f\u007f]/g, (c) => {
    switch (c) {
      case '\\':
        return '\\\\';
      case '\n':
        return '\\n';
      case '\t':
        return '\\t';
      case '\r':
        return '\\r';
      default:
        return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
    }
  });
}

/** Problems with a host path used by the apply and fetch scripts, in plain words; [] when fine. */
export function pathProblems(path: string, what = 'a path'): string[] {
  const out: string[] = [];
  if (typeof path !== 'string' || path === '') return [`${what} is empty`];
  if (path.includes('\0')) out.push(`${what} holds a NUL character`);
  if (!path.startsWith('/')) out.push(`${what} must be absolute (start with /): ${displayValue(path)}`);
  if (path.endsWith('/')) out.push(`${what} must name a file, not end with /: ${displayValue(path)}`);
  const segs = path.split('/').slice(1);
  if (segs.some((s) => s === '.' || s === '..')) out.push(`${what} must not hold . or .. parts: ${displayValue(path)}`);
  if (path.length > 1 && segs.slice(0, -1).some((s) => s === '')) out.push(`${what} must not hold //: ${displayValue(path)}`);
  return out;
}
