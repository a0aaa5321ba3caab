// What the Python of an xm file names: the variables it uses and those it defines. xm runs the
// file with execfile(), so a name assigned and used later (`arch_libdir = 'lib64'` then
// `device_model = '/usr/' + arch_libdir + …`) is a helper variable, not a domain key; and a name
// used but defined nowhere (`memory = lots`) raises NameError, which makes xm refuse the file.
//
// Names are read with a small linear scanner over the text of Python values and statements
// (strings and comments skipped, `.attribute` and `keyword=` argument names left out), never a
// regular expression over file text.
import type { DomainFile, Span } from './ast';
import { KEYS } from './schema';

const PY_KEYWORDS = new Set([
  'and',
  'as',
  'assert',
  'break',
  'class',
  'continue',
  'def',
  'del',
  'elif',
  'else',
  'except',
  'exec',
  'finally',
  'for',
  'from',
  'global',
  'if',
  'import',
  'in',
  'is',
  'lambda',
  'not',
  'or',
  'pass',
  'print',
  'raise',
  'return',
  'try',
  'while',
  'with',
  'yield',
]);

/** Python 2.7 builtins an xm file may use without defining them. */
const BUILTINS = new Set([
  'True',
  'False',
  'None',
  'abs',
  'all',
  'any',
  'basestring',
  'bin',
  'bool',
  'callable',
  'chr',
  'cmp',
  'dict',
  'dir',
  'divmod',
  'enumerate',
  'eval',
  'execfile',
  'file',
  'filter',
  'float',
  'format',
  'frozenset',
  'getattr',
  'globals',
  'hasattr',
  'hash',
  'hex',
  'id',
  'input',
  'int',
  'isinstance',
  'issubclass',
  'iter',
  'len',
  'list',
  'locals',
  'long',
  'map',
  'max',
  'min',
  'next',
  'object',
  'oct',
  'open',
  'ord',
  'pow',
  'range',
  'raw_input',
  'reduce',
  'repr',
  'reversed',
  'round',
  'set',
  'setattr',
  'slice',
  'sorted',
  'str',
  'sum',
  'super',
  'tuple',
  'type',
  'unichr',
  'unicode',
  'vars',
  'xrange',
  'zip',
  '__import__',
  '__name__',
  '__builtins__',
  'Exception',
  'IOError',
  'OSError',
  'ValueError',
  'KeyError',
  'IndexError',
  'TypeError',
  'NameError',
  'StandardError',
]);

/**
 * What xm's loader (xen/xm/opts.py, Opts.load) puts in the file's namespace before running it:
 * the modules it imports, its helper names, and every configuration variable of create.py with
 * its default (so `maxmem = memory` reads the default memory).
 */
const XM_PREDEFINED = new Set(['sys', 'os', 'xen', 'Vars', 'xm_file', 'xm_help', 'xm_vars']);

/** Statements whose every name is a definition (imported names, loop variables, parameters…). */
const DEFINING = new Set(['import', 'from', 'for', 'def', 'class', 'with', 'except', 'global', 'lambda']);

export interface NameUse {
  name: string;
  span: Span;
}

function isStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
function isPart(c: number): boolean {
  return isStart(c) || (c >= 48 && c <= 57);
}

/** The names a stretch of Python reads (not attributes, not keyword-argument names). */
export function namesIn(text: string, start: number, end: number): NameUse[] {
  const out: NameUse[] = [];
  let i = start;
  let prevSignificant = 0; // char code of the last non-blank character outside strings
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 35 /* # */) {
      while (i < end && text.charCodeAt(i) !== 10) i++;
      continue;
    }
    if (c === 39 || c === 34) {
      // a string, single or triple quoted, with backslash escapes
      const triple = text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c;
      const q = triple ? 3 : 1;
      i += q;
      while (i < end) {
        const d = text.charCodeAt(i);
        if (d === 92) {
          i += 2;
          continue;
        }
        if (d === c && (!triple || (text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c))) {
          i += q;
          break;
        }
        if (d === 10 && !triple) break;
        i++;
      }
      prevSignificant = c;
      continue;
    }
    if (isStart(c)) {
      const s = i;
      while (i < end && isPart(text.charCodeAt(i))) i++;
      const name = text.slice(s, i);
      // string prefixes (r'', u'', b'') are not names
      const next = text.charCodeAt(i);
      if ((next === 39 || next === 34) && name.length <= 2 && /^[rRuUbB]+$/.test(name)) continue;
      let j = i;
      while (j < end && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j++;
      const kwarg = text.charCodeAt(j) === 61 && text.charCodeAt(j + 1) !== 61 && prevSignificant !== 0 && prevSignificant !== 10;
      if (prevSignificant !== 46 /* . */ && !PY_KEYWORDS.has(name) && !kwarg) out.push({ name, span: { start: s, end: i } });
      prevSignificant = 65;
      continue;
    }
    if (c >= 48 && c <= 57) {
      while (i < end && (isPart(text.charCodeAt(i)) || text.charCodeAt(i) === 46)) i++;
      prevSignificant = 48;
      continue;
    }
    if (c !== 32 && c !== 9 && c !== 13) prevSignificant = c;
    i++;
  }
  return out;
}

export interface PythonNames {
  /** Names read anywhere in the file's Python (values and statements). */
  used: Set<string>;
  /** Names the file itself defines: assigned, imported, def/class, loop variables, parameters. */
  defined: Set<string>;
  /** Names read by top-level assignment values that nothing defines: NameError when xm runs the file. */
  undefined: NameUse[];
}

export function pythonNames(file: DomainFile, text: string): PythonNames {
  const used = new Set<string>();
  const defined = new Set<string>();
  const candidates: NameUse[] = [];
  let binds = false; // a lambda or comprehension binds names of its own: no NameError is claimed then
  for (const st of file.statements) {
    if (st.kind === 'assignment') {
      if (st.key) defined.add(st.key.name);
      if (st.pythonTarget) for (const n of namesIn(text, st.pythonTarget.span.start, st.pythonTarget.span.end)) defined.add(n.name);
      const v = st.value;
      if (!v || v.kind === 'string' || v.kind === 'number') continue;
      const names = namesIn(text, v.span.start, v.span.end);
      const body = text.slice(v.span.start, Math.min(v.span.end, v.span.start + 100_000));
      if (body.includes('lambda') || body.includes(' for ')) binds = true;
      for (const n of names) {
        used.add(n.name);
        if (!st.local && !st.conditional) candidates.push(n);
      }
    } else {
      if (st.name) defined.add(st.name.name);
      const names = namesIn(text, st.span.start, st.span.end);
      if (DEFINING.has(st.keyword)) for (const n of names) defined.add(n.name);
      else for (const n of names) used.add(n.name);
      if (st.keyword === 'lambda') binds = true;
    }
  }
  // `xm_vars.var('vmid', …)` declares a variable the command line sets (xm create f vmid=3)
  for (let at = text.indexOf('xm_vars.var('); at >= 0; at = text.indexOf('xm_vars.var(', at + 1)) {
    let i = at + 'xm_vars.var('.length;
    while (text[i] === ' ' || text[i] === '\t') i++;
    const q = text[i];
    if (q !== "'" && q !== '"') continue;
    const close = text.indexOf(q, i + 1);
    if (close > i && close - i < 200) defined.add(text.slice(i + 1, close));
  }
  const undefinedNames = binds
    ? []
    : candidates.filter((n) => !defined.has(n.name) && !BUILTINS.has(n.name) && !XM_PREDEFINED.has(n.name) && !KEYS.has(n.name));
  return { used, defined, undefined: undefinedNames };
}
