// The corpus files of the domain language and broken variants of them, for the corpus and
// oracle tests. Read at test time from ../shared; nothing is copied into the project.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { corpusDir, listFiles } from '../../support/paths';

export function domainCorpusFiles(): string[] {
  const out: string[] = [];
  const d = join(corpusDir, 'domains');
  if (existsSync(d)) out.push(...listFiles(d));
  const x = join(corpusDir, 'xen');
  if (existsSync(x)) out.push(...listFiles(x).filter((f) => basename(f).startsWith('xl.conf')));
  return out;
}

export interface OracleCase {
  /** `FILE` or `FILE#variant`, the name used in docs/parsers/domain.md. */
  name: string;
  text: string;
}

/** Inserts a line before the first assignment (or at the end when there is none). */
function insertBeforeFirstSetting(text: string, line: string): string {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => /^[a-z][a-z0-9_.]*\s*=/.test(l));
  if (i < 0) return text + (text.endsWith('\n') ? '' : '\n') + line + '\n';
  lines.splice(i, 0, line);
  return lines.join('\n');
}

export function variants(file: string): OracleCase[] {
  const text = readFileSync(file, 'latin1');
  const name = basename(file);
  const out: OracleCase[] = [{ name, text }];
  out.push({ name: `${name}#unterminated-string`, text: insertBeforeFirstSetting(text, "kernel = '/boot/vmlinuz") });
  out.push({ name: `${name}#missing-equals`, text: insertBeforeFirstSetting(text, 'memory 256') });
  out.push({ name: `${name}#unclosed-list`, text: insertBeforeFirstSetting(text, "vif = [ 'ip=80.68.86.194'") });
  out.push({ name: `${name}#python-arithmetic`, text: insertBeforeFirstSetting(text, 'memory = 128 * 2') });
  out.push({ name: `${name}#python-true`, text: insertBeforeFirstSetting(text, 'acpi = True') });
  return out;
}

/** Hand-written cases beyond the corpus variants: corners of xl's lexer, and checks beyond syntax. */
export const EXTRA_CASES: OracleCase[] = [
  { name: 'extra#crlf', text: "name = 'vm1'\r\nmemory = 256\r\n" },
  { name: 'extra#bom', text: "\ufeffname = 'vm1'\n" },
  { name: 'extra#comment-at-eof', text: "name = 'vm1'\n# the end" },
  { name: 'extra#bad-escape', text: "extra = 'C:\\dir'\n" },
  { name: 'extra#keyword-as-key', text: 'if = 1\nimport = 2\n' },
  { name: 'extra#upper-case-key', text: "Name = 'vm1'\n" },
  { name: 'extra#adjacent-strings', text: "name = 'vm' '1'\n" },
  { name: 'extra#semicolons', text: "name = 'vm1'; memory = 256;;\n" },
  { name: 'extra#nested-lists', text: "disk = [ ['a', 1], [], ]\n" },
  { name: 'extra#plus-equals', text: "extra = 'a'\nextra += ' b'\n" },
  { name: 'extra#invalid-number', text: 'memory = 08\n' },
  { name: 'extra#unknown-vif-key', text: "vif = [ 'bogus=1' ]\n" },
  { name: 'extra#bad-mac', text: "vif = [ 'mac=00:16:3e:zz:00:01' ]\n" },
];
