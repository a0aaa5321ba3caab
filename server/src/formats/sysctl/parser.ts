// sysctl files, read as procps' `sysctl -p` reads them (checked on procps-ng 4.0.2). A scan of
// each line: no regular expression runs on the text, so any input is read in linear time.
import type { SysctlEntry, SysctlFile, SysctlSetting } from './ast';

/** The blanks sysctl -p trims around keys and values. */
export function isSysctlBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 12 || c === 11;
}

/** A character of a plain sysctl name: letters, digits, `_ . / -`. */
function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 47 || c === 45;
}

/** A sysctl key with `/` read as `.` (sysctl takes both: net/ipv4/ip_forward is net.ipv4.ip_forward). */
export function sysctlName(key: string): string {
  return key.split('/').join('.');
}

/** Reads a sysctl file. Never throws. */
export function parseSysctl(text: string): SysctlFile {
  const file: SysctlFile = { text, entries: [], invalid: [], comments: [], settings: [] };
  let lineStart = 0;
  let line = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    line++;
    readLine(text, lineStart, lineEnd, line, file);
    lineStart = lineEnd + 1;
  }
  return file;
}

function readLine(text: string, start: number, end: number, line: number, file: SysctlFile): void {
  let a = start;
  let b = end;
  while (a < b && isSysctlBlank(text.charCodeAt(a))) a++;
  while (b > a && isSysctlBlank(text.charCodeAt(b - 1))) b--;
  if (a === b) return;
  const first = text[a];
  if (first === '#' || first === ';') {
    file.comments.push({ start: a, end: b });
    return;
  }
  // (the search stays inside the line: indexOf past it would make a file of lines without `=` quadratic)
  let eq = a;
  while (eq < b && text.charCodeAt(eq) !== 61) eq++;
  if (eq >= b) {
    file.invalid.push({ line, span: { start: a, end: b } });
    return;
  }
  // the key: before `=`, trimmed; a leading `-` taken off (and the blanks after it)
  let ks = a;
  let ke = eq;
  while (ke > ks && isSysctlBlank(text.charCodeAt(ke - 1))) ke--;
  const ignoreUnknown = text[ks] === '-' && ke > ks;
  if (ignoreUnknown) {
    ks++;
    while (ks < ke && isSysctlBlank(text.charCodeAt(ks))) ks++;
  }
  let vs = eq + 1;
  while (vs < b && isSysctlBlank(text.charCodeAt(vs))) vs++;
  const entry: SysctlEntry = {
    line,
    span: { start: a, end: b },
    key: text.slice(ks, ke),
    keySpan: { start: ks, end: ke },
    ignoreUnknown,
    value: text.slice(vs, b),
    valueSpan: { start: vs, end: b },
  };
  file.entries.push(entry);
  const setting = plainSetting(text, a, eq, entry);
  if (setting) file.settings.push(setting);
}

/**
 * The entry as a plain setting: the text before `=` (trimmed) is a name of letters, digits and
 * `_ . / -`, after one optional `-` (a lone `-` is the name `-`).
 */
function plainSetting(text: string, a: number, eq: number, entry: SysctlEntry): SysctlSetting | undefined {
  let e = eq;
  while (e > a && isSysctlBlank(text.charCodeAt(e - 1))) e--;
  if (e === a) return undefined;
  for (let i = a; i < e; i++) if (!isNameChar(text.charCodeAt(i))) return undefined;
  const raw = text.slice(a, e);
  const key = raw.length > 1 && raw[0] === '-' ? raw.slice(1) : raw;
  return { key: sysctlName(key), value: entry.value, span: entry.span };
}
