// /etc/modules and /etc/modules-load.d/*.conf: one kernel module per line. Lines whose first
// non-blank character is `#` or `;` are comments; blank lines are ignored. In Debian's
// /etc/modules a module name may be followed by parameters (`name param=value`), which
// modules-load.d files do not accept. Hand-written: the format is one line deep.
import type { Span } from '../../core/text';
import type { ModuleLine, ModuleParam, ModulesComment, ModulesFile, ModulesFlavour } from './ast';
import { checkpoint } from '../../core/budget';

/**
 * The base name of a modules-load.d file that systemd-modules-load(8) skips: it reads only the
 * files of modules-load.d(5) whose names end in `.conf`.
 */
export function ignoredModulesLoadName(uriOrPath: string | undefined): string | undefined {
  if (!uriOrPath || flavourOf(uriOrPath) !== 'modules-load.d') return undefined;
  const base = uriOrPath.slice(uriOrPath.lastIndexOf('/') + 1);
  return base.endsWith('.conf') ? undefined : base;
}

/** Which kind of file a path is (by name); 'auto' when it is neither. */
export function flavourOf(uriOrPath: string | undefined): ModulesFlavour {
  if (!uriOrPath) return 'auto';
  if (/(^|\/)modules-load\.d\/[^/]+$/.test(uriOrPath)) return 'modules-load.d';
  if (/(^|\/)modules$/.test(uriOrPath)) return 'etc-modules';
  return 'auto';
}

export function parseModules(text: string, flavour: ModulesFlavour = 'auto'): ModulesFile {
  const modules: ModuleLine[] = [];
  const comments: ModulesComment[] = [];
  const n = text.length;
  let pos = 0;
  let line = 0;
  // a BOM at the very start is not part of the first line's content
  if (text.charCodeAt(0) === 0xfeff) pos = 1;
  while (pos <= n) {
    checkpoint();
    let end = pos;
    while (end < n) {
      const c = text.charCodeAt(end);
      if (c === 10 || c === 13) break;
      end++;
    }
    parseLine(text, pos, end, line, modules, comments);
    if (end >= n) break;
    pos = end + (text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? 2 : 1);
    line++;
  }
  return { text, flavour, modules, comments };
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 11 || c === 12;
}

function parseLine(text: string, start: number, end: number, line: number, modules: ModuleLine[], comments: ModulesComment[]): void {
  let i = start;
  while (i < end && isBlank(text.charCodeAt(i))) i++;
  if (i >= end) return;
  const first = text[i];
  if (first === '#' || first === ';') {
    comments.push({ kind: 'comment', text: text.slice(i, end), span: { start: i, end }, line });
    return;
  }
  const words: Span[] = [];
  let inlineComment: Span | undefined;
  while (i < end) {
    while (i < end && isBlank(text.charCodeAt(i))) i++;
    if (i >= end) break;
    if (words.length > 0 && (text[i] === '#' || text[i] === ';')) {
      inlineComment = { start: i, end };
      break;
    }
    const s = i;
    while (i < end && !isBlank(text.charCodeAt(i))) i++;
    words.push({ start: s, end: i });
  }
  const [nameSpan, ...rest] = words;
  const params: ModuleParam[] = rest.map((w) => {
    const t = text.slice(w.start, w.end);
    const eq = t.indexOf('=');
    return eq >= 0 ? { text: t, span: w, key: t.slice(0, eq), value: t.slice(eq + 1) } : { text: t, span: w, key: t };
  });
  const last = words[words.length - 1];
  modules.push({
    kind: 'module',
    name: text.slice(nameSpan.start, nameSpan.end),
    nameSpan,
    params,
    inlineComment,
    span: { start: nameSpan.start, end: last.end },
    line,
  });
}

/** modprobe treats '-' and '_' in module names alike. */
export function canonicalModuleName(name: string): string {
  return name.replace(/-/g, '_');
}

export type { ModuleLine, ModuleParam, ModulesComment, ModulesFile, ModulesFlavour } from './ast';
