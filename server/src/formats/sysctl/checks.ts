// What sysctl -p refuses in a sysctl file: on a line with no `=` it says "invalid syntax" and
// skips it; on an empty key or value it exits 1; a key with a blank inside names nothing. Each
// is refused: the file would not do what it says.
import type { SysctlFile, SysctlProblem } from './ast';
import { isSysctlBlank } from './parser';

/** The problems of a sysctl file, in line order. */
export function checkSysctl(file: SysctlFile): SysctlProblem[] {
  const out: SysctlProblem[] = [];
  for (const l of file.invalid) {
    out.push({
      line: l.line,
      span: l.span,
      message: 'not a sysctl setting: a line is `key = value`, a comment (`#` or `;`) or blank (sysctl -p skips it as "invalid syntax")',
    });
  }
  for (const e of file.entries) {
    const problem = entryProblem(e.key, e.value);
    if (problem) out.push({ line: e.line, span: e.span, message: problem });
  }
  return out.sort((a, b) => a.line - b.line);
}

/** Why sysctl -p refuses a `key = value` line, or undefined when it sets the key. */
export function entryProblem(key: string, value: string): string | undefined {
  if (key === '') return 'a sysctl setting with no key before `=`';
  for (let i = 0; i < key.length; i++) {
    if (isSysctlBlank(key.charCodeAt(i))) return `a sysctl key holds a blank: ${JSON.stringify(key.slice(0, 60))}`;
  }
  if (value === '') return `no value after \`${key.slice(0, 60)} =\` (sysctl -p fails on it)`;
  return undefined;
}
