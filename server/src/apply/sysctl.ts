// A sysctl file's syntax, as procps' `sysctl -p` reads it (checked on procps-ng 4.0.2): a line is
// blank, a comment (first non-blank character `#` or `;`), or `key = value`, where the key holds
// no blank (a leading `-` only silences an unknown key) and the value is not empty. On a line with
// no `=` sysctl -p says "invalid syntax" and skips it; on an empty key or value it exits 1. Both
// are refused here: the file would not do what it says. Read by a scan of each line,
// no regular expression on the text.

export interface SysctlProblem {
  /** 1-based line number. */
  line: number;
  message: string;
}

export interface SysctlSetting {
  key: string;
  value: string;
  line: number;
}

const isBlank = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v';

function trim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isBlank(s[a])) a++;
  while (b > a && isBlank(s[b - 1])) b--;
  return s.slice(a, b);
}

/** The settings and the problems of a sysctl file's text. Never throws. */
export function readSysctl(text: string): { settings: SysctlSetting[]; problems: SysctlProblem[] } {
  const settings: SysctlSetting[] = [];
  const problems: SysctlProblem[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const t = trim(lines[i]);
    if (t === '' || t[0] === '#' || t[0] === ';') continue;
    const n = i + 1;
    const eq = t.indexOf('=');
    if (eq < 0) {
      problems.push({ line: n, message: 'not a sysctl setting: a line is `key = value`, a comment (`#` or `;`) or blank (sysctl -p skips it as "invalid syntax")' });
      continue;
    }
    let key = trim(t.slice(0, eq));
    if (key.startsWith('-')) key = trim(key.slice(1));
    const value = trim(t.slice(eq + 1));
    if (key === '') problems.push({ line: n, message: 'a sysctl setting with no key before `=`' });
    else if ([...key].some(isBlank)) problems.push({ line: n, message: `a sysctl key holds a blank: ${JSON.stringify(key.slice(0, 60))}` });
    else if (value === '') problems.push({ line: n, message: `no value after \`${key.slice(0, 60)} =\` (sysctl -p fails on it)` });
    else settings.push({ key: key.split('/').join('.'), value, line: n });
  }
  return { settings, problems };
}
