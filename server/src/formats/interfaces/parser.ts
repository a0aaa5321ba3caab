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

type LineType = 'iface' | 'mapping' | 'auto' | 'allow' | 'source' | 'source-directory' | 'rename' | 'no-auto-down' | 'no-scripts' | 'option';


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

function lineType(first: string): LineType {
  // (a switch on the first character: most lines are options, and a keyed lookup of a fresh
  // string in an object costs more than the comparisons)
  switch (first.charCodeAt(0)) {
    case 105 /* i */:
      return first === 'iface' ? 'iface' : 'option';
    case 109 /* m */:
      return first === 'mapping' ? 'mapping' : 'option';
    case 97 /* a */:
      if (first === 'auto') return 'auto';
      return first.length > 6 && first.startsWith('allow-') ? 'allow' : 'option';
    case 115 /* s */:
      return first === 'source' ? 'source' : first === 'source-directory' ? 'source-directory' : 'option';
    case 114 /* r */:
      return first === 'rename' ? 'rename' : 'option';
    case 110 /* n */:
      return first === 'no-auto-down' ? 'no-auto-down' : first === 'no-scripts' ? 'no-scripts' : 'option';
    default:
      return 'option';
  }
}

// blanks between words: space, tab, vertical tab, form feed and a byte-order mark
function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 11 || c === 12 || c === 0xfeff;
}
function isBreak(c: number): boolean {
  return c === 10 || c === 13;
}

// Speed: on a large file the cost is the number of objects made, so the scanner builds no
// intermediate line objects. The words of the current logical line are kept as offsets in these
// reused arrays, and only the AST's own nodes are created, each once.
let wordStarts = new Int32Array(64);
let wordEnds = new Int32Array(64);

/**
 * A word of the file. It is its own span (`span` returns the word, which has `start` and `end`), so
 * a word costs one object and its text, not three objects: on a file of 100,000 stanzas that is
 * a million objects fewer for the garbage collector.
 */
class WordNode implements Word {
  constructor(
    public readonly text: string,
    public readonly start: number,
    public readonly end: number,
  ) {}
  get span(): Span {
    return this;
  }
}

const NO_WORDS: Word[] = [];
Object.freeze(NO_WORDS);

/**
 * An option line, also its own span. It keeps the texts of its name and value; their Word nodes
 * and the list of the value's words are made when first asked for (the checks read the texts
 * alone), which saves three objects per line on a large file.
 */
class OptionLine implements OptionNode {
  /** The Word nodes and the word list, once asked for. */
  private made: { name: Word | null; value: Word | null; words: Word[] | null } | null;
  constructor(
    public readonly nameText: string,
    public readonly valueText: string | null,
    public readonly start: number,
    private readonly valueStart: number,
    public readonly end: number,
    words: Word[] | null,
  ) {
    this.made = words === null ? null : { name: null, value: null, words };
  }
  get kind(): 'option' {
    return 'option';
  }
  get span(): Span {
    return this;
  }
  private get nodes(): { name: Word | null; value: Word | null; words: Word[] | null } {
    return (this.made ??= { name: null, value: null, words: null });
  }
  get name(): Word {
    const m = this.nodes;
    // (a name is one word: it ends where its text does)
    return (m.name ??= new WordNode(this.nameText, this.start, this.start + this.nameText.length));
  }
  get value(): Word | null {
    if (this.valueText === null) return null;
    const m = this.nodes;
    return (m.value ??= new WordNode(this.valueText, this.valueStart, this.end));
  }
  get values(): Word[] {
    const m = this.nodes;
    if (m.words === null) {
      const v = this.value;
      m.words = v ? [v] : NO_WORDS;
    }
    return m.words;
  }
  /** How many words the value has, without making the list. */
  get valueCount(): number {
    const words = this.made?.words;
    return words ? words.length : this.valueText === null ? 0 : 1;
  }
}

/**
 * An `iface` stanza. It keeps the texts of its name, family and method with their offsets, and
 * makes their Word nodes (and the keyword's) when first asked for; its spans are made on request
 * from its offsets. On a file of many stanzas that is six objects fewer per stanza.
 */
class IfaceNode implements IfaceStanza {
  inherits: IfaceStanza['inherits'] = null;
  extra: Word[] = NO_WORDS;
  readonly options: OptionNode[] = [];
  familyText: string | null = null;
  familyStart = 0;
  methodText: string | null = null;
  methodStart = 0;
  /** End of the last option line (the header's end until an option comes). */
  private end: number;
  private made: { keyword: Word | null; name: Word | null; family: Word | null; method: Word | null } | null = null;
  constructor(
    private readonly start: number,
    private readonly headerEnd: number,
    readonly nameText: string | null,
    private readonly nameStart: number,
  ) {
    this.end = headerEnd;
  }
  get kind(): 'iface' {
    return 'iface';
  }
  private get nodes(): { keyword: Word | null; name: Word | null; family: Word | null; method: Word | null } {
    return (this.made ??= { keyword: null, name: null, family: null, method: null });
  }
  get keyword(): Word {
    const m = this.nodes;
    return (m.keyword ??= new WordNode('iface', this.start, this.start + 5));
  }
  get name(): Word | null {
    if (this.nameText === null) return null;
    const m = this.nodes;
    return (m.name ??= new WordNode(this.nameText, this.nameStart, this.nameStart + this.nameText.length));
  }
  get family(): Word | null {
    if (this.familyText === null) return null;
    const m = this.nodes;
    return (m.family ??= new WordNode(this.familyText, this.familyStart, this.familyStart + this.familyText.length));
  }
  get method(): Word | null {
    if (this.methodText === null) return null;
    const m = this.nodes;
    return (m.method ??= new WordNode(this.methodText, this.methodStart, this.methodStart + this.methodText.length));
  }
  get span(): Span {
    return { start: this.start, end: this.end };
  }
  set span(v: Span) {
    this.end = v.end;
  }
  /** The stanza ends with its option line that ends at `end`. */
  closeAt(end: number): void {
    this.end = end;
  }
  get headerSpan(): Span {
    return { start: this.start, end: this.headerEnd };
  }
}

/** Parses the text of an interfaces file into stanzas. Never throws. */
export function parseInterfaces(text: string): InterfacesAst {
  const ast: InterfacesAst = { stanzas: [], orphans: [], templates: [], comments: [], errors: [] };
  const state: GroupState = { text, ast, current: null, inTemplate: false };
  try {
    scan(text, state);
  } catch (e) {
    ast.errors.push({ message: `The file could not be read completely (${e instanceof Error ? e.message : String(e)}).`, span: { start: 0, end: 0 } });
  }
  return ast;
}

interface GroupState {
  text: string;
  ast: InterfacesAst;
  /** The open iface or mapping stanza that option lines go to. */
  current: IfaceStanza | MappingStanza | null;
  /** Inside an ifupdown2 `<% ... %>` template block. */
  inTemplate: boolean;
}

/** Splits the text into logical lines of words, collecting comments on the way, and hands each line to `line`. One pass, no backtracking. */
function scan(text: string, st: GroupState): void {
  const comments = st.ast.comments;
  const n = text.length;
  let i = 0;
  let nw = 0; // words of the current logical line so far
  let continued = false; // the previous physical line ended with `\`
  while (i < n) {
    // at the start of a physical line
    let j = i;
    while (j < n && isBlank(text.charCodeAt(j))) j++;
    if (!continued && text.charCodeAt(j) === 35 /* # */) {
      let end = j;
      while (end < n && !isBreak(text.charCodeAt(end))) end++;
      comments.push({ kind: 'comment', text: text.slice(j, end), span: { start: j, end } });
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
        if (nw === wordStarts.length) {
          const s2 = new Int32Array(nw * 2);
          s2.set(wordStarts);
          wordStarts = s2;
          const e2 = new Int32Array(nw * 2);
          e2.set(wordEnds);
          wordEnds = e2;
        }
        wordStarts[nw] = start;
        wordEnds[nw] = i;
        nw++;
      }
    }
    // the line break
    if (i < n) {
      if (text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) === 10) i += 2;
      else i++;
    }
    if (!continued && nw > 0) {
      line(st, nw);
      nw = 0;
    }
  }
  if (nw > 0) line(st, nw);
  closeStanza(st);
}

// Words repeat: every stanza has its `address` and `netmask`, many share a netmask or a method.
// Short words are looked up in a small table by a hash of their characters, and a word already
// seen reuses its string instead of making another copy.
const SHARED_MAX = 24;
const sharedTable: (string | undefined)[] = new Array(4096);

function sliceShared(text: string, start: number, end: number): string {
  const len = end - start;
  if (len > SHARED_MAX) return text.slice(start, end);
  let h = len;
  for (let i = start; i < end; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  h = (h ^ (h >>> 12)) & 4095;
  const seen = sharedTable[h];
  if (seen !== undefined && seen.length === len && text.startsWith(seen, start)) return seen;
  const fresh = text.slice(start, end);
  sharedTable[h] = fresh;
  return fresh;
}

/** The Word of the k-th word of the current line. */
function word(text: string, k: number): Word {
  const start = wordStarts[k];
  const end = wordEnds[k];
  return new WordNode(sliceShared(text, start, end), start, end);
}

/** Words k.. of the current line. */
function wordsFrom(text: string, k: number, nw: number): Word[] {
  const out: Word[] = new Array(nw > k ? nw - k : 0);
  for (let i = k; i < nw; i++) out[i - k] = word(text, i);
  return out;
}

/** Sets the span of the open stanza to run from its keyword to its last option line. */
function closeStanza(st: GroupState): void {
  const current = st.current;
  if (current) {
    const opts = current.options;
    if (opts.length) {
      const end = (opts[opts.length - 1] as OptionLine).end;
      if (current instanceof IfaceNode) current.closeAt(end);
      else current.span = { start: current.headerSpan.start, end };
    }
    st.current = null;
  }
}

/** Whether `text` has `%>` within [start, end). */
function hasTemplateEnd(text: string, start: number, end: number): boolean {
  for (let i = start; i + 1 < end; i++) if (text.charCodeAt(i) === 37 && text.charCodeAt(i + 1) === 62) return true;
  return false;
}

/** One logical line of `nw` words (their offsets in wordStarts/wordEnds): adds its node to the AST. */
function line(st: GroupState, nw: number): void {
  const text = st.text;
  const ast = st.ast;
  const lineStart = wordStarts[0];
  const lineEnd = wordEnds[nw - 1];
  // (checked before the template test, as ifupdown's reading of words comes first)
  const bareIface = nw === 1 && wordEnds[0] - lineStart === 5 && text.startsWith('iface', lineStart);
  if (bareIface) ast.errors.push({ message: `Expected ${what.iface}, but the line ends there.`, span: { start: lineStart, end: lineEnd } });
  // ifupdown2 runs the file through Mako first: `%` lines and `<% ... %>` blocks are template code.
  const c0 = text.charCodeAt(lineStart);
  const opensBlock = c0 === 60 /* < */ && wordEnds[0] - lineStart >= 2 && text.charCodeAt(lineStart + 1) === 37; /* % */
  if (st.inTemplate || c0 === 37 /* % */ || opensBlock) {
    const t: TemplateLine = { kind: 'template', span: { start: lineStart, end: lineEnd } };
    ast.templates.push(t);
    const lastStart = wordStarts[nw - 1];
    const lastEndsBlock = lineEnd - lastStart >= 2 && text.charCodeAt(lineEnd - 2) === 37 && text.charCodeAt(lineEnd - 1) === 62; /* %> */
    if (opensBlock && !lastEndsBlock) st.inTemplate = true;
    else if (st.inTemplate && hasTemplateEnd(text, lineStart, lineEnd)) st.inTemplate = false;
    return;
  }
  const first = sliceShared(text, lineStart, wordEnds[0]);
  const type = lineType(first);
  if (type === 'option') {
    let valueText: string | null = null;
    let values: Word[] | null = null;
    if (nw === 2) valueText = sliceShared(text, wordStarts[1], lineEnd);
    else if (nw > 2) {
      values = wordsFrom(text, 1, nw);
      // the value as ifupdown reads it: raw text between its first and last word, continuations removed
      let raw = text.slice(wordStarts[1], lineEnd);
      if (raw.includes('\\')) raw = raw.replace(/\\(\r\n|\r|\n)/g, '');
      valueText = raw;
    }
    const opt: OptionNode = new OptionLine(first, valueText, lineStart, nw > 1 ? wordStarts[1] : lineEnd, lineEnd, values);
    const current = st.current;
    if (current) current.options.push(opt);
    else ast.orphans.push(opt);
    return;
  }
  // (an iface stanza makes its keyword's Word and its spans when asked)
  let kw!: Word;
  let lineSpan!: Span;
  if (type !== 'iface') {
    kw = new WordNode(first, lineStart, wordEnds[0]);
    lineSpan = { start: lineStart, end: lineEnd };
  }
  closeStanza(st);
  if (nw === 1 && type !== 'iface') {
    ast.errors.push({ message: `Expected ${what[type]}, but the line ends there.`, span: kw.span });
  }
  let stanza: Stanza;
  switch (type) {
    case 'iface': {
      const s = new IfaceNode(lineStart, lineEnd, nw > 1 ? sliceShared(text, wordStarts[1], wordEnds[1]) : null, nw > 1 ? wordStarts[1] : lineStart);
      let positional = 0;
      for (let i = 2; i < nw; i++) {
        const a = wordStarts[i];
        const b = wordEnds[i];
        if (!s.inherits && b - a === 8 && text.startsWith('inherits', a)) {
          s.inherits = { keyword: word(text, i), template: i + 1 < nw ? word(text, i + 1) : null };
          i++;
        } else if (positional === 0 && !s.inherits) {
          s.familyText = sliceShared(text, a, b);
          s.familyStart = a;
          positional++;
        } else if (positional === 1 && !s.inherits) {
          s.methodText = sliceShared(text, a, b);
          s.methodStart = a;
          positional++;
        } else (s.extra === NO_WORDS ? (s.extra = []) : s.extra).push(word(text, i));
      }
      if (s.inherits && !s.inherits.template) {
        ast.errors.push({ message: 'Expected the name of a stanza to inherit from after `inherits`, but the line ends there.', span: s.inherits.keyword.span });
      }
      st.current = s;
      stanza = s;
      break;
    }
    case 'mapping': {
      const s: MappingStanza = { kind: 'mapping', keyword: kw, span: lineSpan, headerSpan: lineSpan, patterns: wordsFrom(text, 1, nw), options: [] };
      st.current = s;
      stanza = s;
      break;
    }
    case 'auto':
    case 'allow':
    case 'no-auto-down':
    case 'no-scripts': {
      const className = type === 'allow' ? kw.text.slice('allow-'.length) : type;
      const s: NameListStanza = { kind: type, keyword: kw, span: lineSpan, headerSpan: lineSpan, className, names: wordsFrom(text, 1, nw) };
      stanza = s;
      break;
    }
    case 'source':
    case 'source-directory': {
      const s: SourceStanza = { kind: type, keyword: kw, span: lineSpan, headerSpan: lineSpan, paths: wordsFrom(text, 1, nw) };
      stanza = s;
      break;
    }
    case 'rename': {
      const pairs: RenameStanza['pairs'] = [];
      for (let i = 1; i < nw; i++) {
        const w = word(text, i);
        const eq = w.text.indexOf('=');
        const p = { word: w, from: eq < 0 ? w.text : w.text.slice(0, eq), to: eq < 0 ? null : w.text.slice(eq + 1) };
        pairs.push(p);
        if (p.to === null || p.to === '' || p.from === '') {
          ast.errors.push({ message: `Expected \`CURRENT=NEW\` (the interface's current name, \`=\`, its new name), but found \`${w.text}\`.`, span: w.span });
        }
      }
      const s: RenameStanza = { keyword: kw, span: lineSpan, headerSpan: lineSpan, kind: 'rename', pairs };
      stanza = s;
      break;
    }
    default:
      return;
  }
  ast.stanzas.push(stanza);
}

/** Token names, for tests and the completion of keywords. */
export const STANZA_KEYWORDS = ['iface', 'auto', 'allow-hotplug', 'allow-auto', 'mapping', 'source', 'source-directory', 'rename', 'no-auto-down', 'no-scripts'] as const;

export type { SyntaxProblem, Comment };
