// The reader of /etc/network/interfaces, and the step that groups its lines into stanzas. The
// file is line oriented, as ifupdown reads it:
//  - a line whose first non-blank character is `#` is a comment; a `#` later in a line is data;
//  - a `\` that is the last character of a line joins the next line to it;
//  - the first word of a logical line decides: a stanza keyword opens a stanza, anything else
//    is an option of the current `iface` or `mapping` stanza.
// Unlike the other formats, this one is read by a hand-written scanner, not chevrotain: the
// grammar is one word list per line, and chevrotain's lexer alone took several times the
// benchmark's budget on a 20,000-stanza file (docs/parsers/interfaces.md has the figures).
import type { Span } from '../../core/text';
import type {
  Comment,
  IfaceStanza,
  InterfacesAst,
  MappingStanza,
  NameListStanza,
  OptionNode,
  RenameStanza,
  SourceStanza,
  Stanza,
  SyntaxProblem,
  TemplateLine,
  Word,
} from './ast';

/** One logical line: the kind its first word gives it, and its words. */
interface RawLine {
  type: 'iface' | 'mapping' | 'auto' | 'allow' | 'source' | 'source-directory' | 'rename' | 'no-auto-down' | 'no-scripts' | 'option';
  /** Its words as written; a word never spans a continuation. */
  words: Word[];
}

const KEYWORDS: Record<string, RawLine['type']> = {
  iface: 'iface',
  mapping: 'mapping',
  auto: 'auto',
  source: 'source',
  'source-directory': 'source-directory',
  rename: 'rename',
  'no-auto-down': 'no-auto-down',
  'no-scripts': 'no-scripts',
};

const what: Record<string, string> = {
  iface: 'an interface name after `iface`',
  mapping: 'an interface name or pattern after `mapping`',
  auto: 'at least one interface name after `auto`',
  allow: 'at least one interface name after the `allow-` line',
  source: 'a file name or pattern after `source`',
  'source-directory': 'a directory after `source-directory`',
  rename: 'at least one `CURRENT=NEW` pair after `rename`',
  'no-auto-down': 'at least one interface name after `no-auto-down`',
  'no-scripts': 'at least one interface name after `no-scripts`',
};

function lineType(first: string): RawLine['type'] {
  const k = KEYWORDS[first];
  if (k !== undefined && Object.prototype.hasOwnProperty.call(KEYWORDS, first)) return k;
  return first.length > 6 && first.startsWith('allow-') ? 'allow' : 'option';
}

// blanks between words: space, tab, vertical tab, form feed and a byte-order mark
function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 11 || c === 12 || c === 0xfeff;
}
function isBreak(c: number): boolean {
  return c === 10 || c === 13;
}

/** Parses the text of an interfaces file into stanzas. Never throws. */
export function parseInterfaces(text: string): InterfacesAst {
  const ast: InterfacesAst = { stanzas: [], orphans: [], templates: [], comments: [], errors: [] };
  try {
    group(text, scan(text, ast), ast);
  } catch (e) {
    ast.errors.push({ message: `The file could not be read completely (${e instanceof Error ? e.message : String(e)}).`, span: { start: 0, end: 0 } });
  }
  return ast;
}

/** Splits the text into logical lines of words, collecting comments on the way. One pass, no backtracking. */
function scan(text: string, ast: InterfacesAst): RawLine[] {
  const lines: RawLine[] = [];
  const n = text.length;
  let i = 0;
  let words: Word[] = [];
  let continued = false; // the previous physical line ended with `\`
  const endLine = () => {
    if (words.length) {
      const type = lineType(words[0].text);
      if (type === 'iface' && words.length === 1) {
        ast.errors.push({ message: `Expected ${what.iface}, but the line ends there.`, span: words[0].span });
      }
      lines.push({ type, words });
      words = [];
    }
  };
  while (i < n) {
    // at the start of a physical line
    let j = i;
    while (j < n && isBlank(text.charCodeAt(j))) j++;
    if (!continued && text.charCodeAt(j) === 35 /* # */) {
      let end = j;
      while (end < n && !isBreak(text.charCodeAt(end))) end++;
      ast.comments.push({ kind: 'comment', text: text.slice(j, end), span: { start: j, end } });
      i = end;
    } else {
      // words up to the end of this physical line
      i = j;
      continued = false;
      while (i < n) {
        const c = text.charCodeAt(i);
        if (isBreak(c)) break;
        if (isBlank(c)) {
          i++;
          continue;
        }
        if (c === 92 /* \ */ && (i + 1 >= n ? false : isBreak(text.charCodeAt(i + 1)))) {
          continued = true;
          i++;
          break;
        }
        const start = i;
        while (i < n) {
          const d = text.charCodeAt(i);
          if (isBlank(d) || isBreak(d)) break;
          if (d === 92 && i + 1 < n && isBreak(text.charCodeAt(i + 1))) break;
          i++;
        }
        words.push({ text: text.slice(start, i), span: { start, end: i } });
      }
    }
    // the line break
    if (i < n) {
      if (text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) === 10) i += 2;
      else i++;
    }
    if (!continued) endLine();
  }
  endLine();
  return lines;
}

/** The value of an option line as ifupdown reads it: raw text between its first and last word, continuations removed. */
function valueOf(text: string, words: Word[]): Word | null {
  if (words.length === 0) return null;
  if (words.length === 1) return words[0];
  const start = words[0].span.start;
  const end = words[words.length - 1].span.end;
  let raw = text.slice(start, end);
  if (raw.includes('\\')) raw = raw.replace(/\\(\r\n|\r|\n)/g, '');
  return { text: raw, span: { start, end } };
}

function spanOf(words: Word[]): Span {
  return { start: words[0].span.start, end: words[words.length - 1].span.end };
}

function group(text: string, lines: RawLine[], ast: InterfacesAst): void {
  let current: IfaceStanza | MappingStanza | null = null;
  let inTemplate = false;
  const close = () => {
    if (current) {
      const last = current.options.length ? current.options[current.options.length - 1].span.end : current.headerSpan.end;
      current.span = { start: current.headerSpan.start, end: last };
    }
  };
  for (const line of lines) {
    const words = line.words;
    if (words.length === 0) continue;
    const lineSpan = spanOf(words);
    // ifupdown2 runs the file through Mako first: `%` lines and `<% ... %>` blocks are template code.
    const first = words[0].text;
    if (inTemplate || first.startsWith('%') || first.startsWith('<%')) {
      const t: TemplateLine = { kind: 'template', span: lineSpan };
      ast.templates.push(t);
      if (first.startsWith('<%') && !words[words.length - 1].text.endsWith('%>')) inTemplate = true;
      else if (inTemplate && words.some((w) => w.text.includes('%>'))) inTemplate = false;
      continue;
    }
    if (line.type === 'option') {
      const values = words.slice(1);
      const opt: OptionNode = { kind: 'option', name: words[0], value: valueOf(text, values), values, span: lineSpan };
      if (current) current.options.push(opt);
      else ast.orphans.push(opt);
      continue;
    }
    close();
    current = null;
    const kw = words[0];
    const args = words.slice(1);
    if (args.length === 0 && line.type !== 'iface') {
      ast.errors.push({ message: `Expected ${what[line.type]}, but the line ends there.`, span: kw.span });
    }
    // (plain literals, not a spread of shared fields: spreading was a quarter of the parse time)
    let stanza: Stanza;
    switch (line.type) {
      case 'iface': {
        const s: IfaceStanza = { kind: 'iface', keyword: kw, span: lineSpan, headerSpan: lineSpan, name: args[0] ?? null, family: null, method: null, inherits: null, extra: [], options: [] };
        let positional = 0;
        for (let i = 1; i < args.length; i++) {
          const w = args[i];
          if (w.text === 'inherits' && !s.inherits) {
            s.inherits = { keyword: w, template: args[i + 1] ?? null };
            i++;
          } else if (positional === 0 && !s.inherits) {
            s.family = w;
            positional++;
          } else if (positional === 1 && !s.inherits) {
            s.method = w;
            positional++;
          } else s.extra.push(w);
        }
        if (s.inherits && !s.inherits.template) {
          ast.errors.push({ message: 'Expected the name of a stanza to inherit from after `inherits`, but the line ends there.', span: s.inherits.keyword.span });
        }
        current = s;
        stanza = s;
        break;
      }
      case 'mapping': {
        const s: MappingStanza = { kind: 'mapping', keyword: kw, span: lineSpan, headerSpan: lineSpan, patterns: args, options: [] };
        current = s;
        stanza = s;
        break;
      }
      case 'auto':
      case 'allow':
      case 'no-auto-down':
      case 'no-scripts': {
        const className = line.type === 'allow' ? kw.text.slice('allow-'.length) : line.type;
        const s: NameListStanza = { kind: line.type, keyword: kw, span: lineSpan, headerSpan: lineSpan, className, names: args };
        stanza = s;
        break;
      }
      case 'source':
      case 'source-directory': {
        const s: SourceStanza = { kind: line.type, keyword: kw, span: lineSpan, headerSpan: lineSpan, paths: args };
        stanza = s;
        break;
      }
      case 'rename': {
        const s: RenameStanza = {
          keyword: kw,
          span: lineSpan,
          headerSpan: lineSpan,
          kind: 'rename',
          pairs: args.map((w) => {
            const eq = w.text.indexOf('=');
            return { word: w, from: eq < 0 ? w.text : w.text.slice(0, eq), to: eq < 0 ? null : w.text.slice(eq + 1) };
          }),
        };
        for (const p of s.pairs) {
          if (p.to === null || p.to === '' || p.from === '') {
            ast.errors.push({ message: `Expected \`CURRENT=NEW\` (the interface's current name, \`=\`, its new name), but found \`${p.word.text}\`.`, span: p.word.span });
          }
        }
        stanza = s;
        break;
      }
      default:
        continue;
    }
    ast.stanzas.push(stanza);
  }
  close();
}

/** Token names, for tests and the completion of keywords. */
export const STANZA_KEYWORDS = ['iface', 'auto', 'allow-hotplug', 'allow-auto', 'mapping', 'source', 'source-directory', 'rename', 'no-auto-down', 'no-scripts'] as const;

export type { SyntaxProblem, Comment };
