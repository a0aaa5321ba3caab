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
import { checkpoint, isBudgetExceeded } from '../../core/budget';
import type {
  Comment,
  IfaceStanza,
  InterfacesAst,
  LogicalLines,
  MappingStanza,
  NameListStanza,
  OptionNode,
  RenameStanza,
  Stanza,
  SyntaxProblem,
  TemplateLine,
  Word,
} from './ast';

// The kinds of logical line, as numbers (the tree keeps one byte per line; `logicalLines()` hands them out).
export const OPTION = 0;
export const IFACE = 1;
export const MAPPING = 2;
const AUTO = 3;
const ALLOW = 4;
export const SOURCE = 5;
export const SOURCE_DIRECTORY = 6;
const RENAME = 7;
const NO_AUTO_DOWN = 8;
const NO_SCRIPTS = 9;
const KIND_NAMES = ['option', 'iface', 'mapping', 'auto', 'allow', 'source', 'source-directory', 'rename', 'no-auto-down', 'no-scripts'] as const;

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

/** The kind of a logical line whose first word is text[start, end). */
function lineKind(text: string, start: number, end: number): number {
  // (a switch on the first character and the length: most lines are options, and this makes no string)
  const len = end - start;
  switch (text.charCodeAt(start)) {
    case 105 /* i */:
      return len === 5 && text.startsWith('iface', start) ? IFACE : OPTION;
    case 109 /* m */:
      return len === 7 && text.startsWith('mapping', start) ? MAPPING : OPTION;
    case 97 /* a */:
      if (len === 4 && text.startsWith('auto', start)) return AUTO;
      return len > 6 && text.startsWith('allow-', start) ? ALLOW : OPTION;
    case 115 /* s */:
      if (len === 6 && text.startsWith('source', start)) return SOURCE;
      return len === 16 && text.startsWith('source-directory', start) ? SOURCE_DIRECTORY : OPTION;
    case 114 /* r */:
      return len === 6 && text.startsWith('rename', start) ? RENAME : OPTION;
    case 110 /* n */:
      if (len === 12 && text.startsWith('no-auto-down', start)) return NO_AUTO_DOWN;
      return len === 10 && text.startsWith('no-scripts', start) ? NO_SCRIPTS : OPTION;
    default:
      return OPTION;
  }
}

/**
 * A word of the file. It is its own span (`span` returns the word, which has `start` and `end`), so
 * a word costs one object and its text, not three objects: on a file of 100,000 stanzas that is
 * a million objects fewer for the garbage collector.
 */
class WordNode implements Word {
  constructor(
    public text: string,
    public start: number,
    public end: number,
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
  private made: { name: Word | null; value: Word | null; words: Word[] | null } | null = null;
  nameText!: string;
  valueText!: string | null;
  start!: number;
  private valueStart!: number;
  end!: number;
  /** The tree and the index of the value's first word there, for the word list of a value of several words. */
  private tree!: InterfacesTree;
  private firstValueWord!: number;
  /** How many words the value has. */
  valueCount!: number;
  constructor(
    nameText: string,
    valueText: string | null,
    start: number,
    valueStart: number,
    end: number,
    tree: InterfacesTree,
    firstValueWord: number,
    valueCount: number,
  ) {
    this.set(nameText, valueText, start, valueStart, end, tree, firstValueWord, valueCount);
  }
  /** Makes this node another line's (a pass that keeps no node reuses them). */
  set(
    nameText: string,
    valueText: string | null,
    start: number,
    valueStart: number,
    end: number,
    tree: InterfacesTree,
    firstValueWord: number,
    valueCount: number,
  ): void {
    this.nameText = nameText;
    this.valueText = valueText;
    this.start = start;
    this.valueStart = valueStart;
    this.end = end;
    this.tree = tree;
    this.firstValueWord = firstValueWord;
    this.valueCount = valueCount;
    this.made = null;
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
      if (this.valueCount > 1) m.words = this.tree.words(this.firstValueWord, this.firstValueWord + this.valueCount);
      else {
        const v = this.value;
        m.words = v ? [v] : NO_WORDS;
      }
    }
    return m.words;
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
  private end!: number;
  private made: { keyword: Word | null; name: Word | null; family: Word | null; method: Word | null } | null = null;
  private start!: number;
  private headerEnd!: number;
  nameText!: string | null;
  private nameStart!: number;
  constructor(start: number, headerEnd: number, nameText: string | null, nameStart: number) {
    this.reset(start, headerEnd, nameText, nameStart);
  }
  /** Makes this node another stanza's header (a pass that keeps no node reuses it). */
  reset(start: number, headerEnd: number, nameText: string | null, nameStart: number): void {
    this.start = start;
    this.headerEnd = headerEnd;
    this.end = headerEnd;
    this.nameText = nameText;
    this.nameStart = nameStart;
    this.inherits = null;
    this.extra = NO_WORDS;
    // (the options are the caller's: a reused node's list is overwritten in place)
    this.familyText = null;
    this.familyStart = 0;
    this.methodText = null;
    this.methodStart = 0;
    this.made = null;
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

// Speed: on a large file the cost is the number of objects that live as long as the tree (each
// one is copied by the garbage collector as it ages). So the tree the reader makes holds no
// object per line: the words of the logical lines and the comments are offsets in typed arrays,
// each line has a kind byte, and the nodes (stanzas, option lines, words) are made from them when
// asked for. A pass such as the checks walks the stanzas through `visit`, which makes each node
// anew and keeps none; `stanzas` makes them all once and keeps them for the features that look
// around (hover, completion, the host model).

// Words repeat: every stanza has its `address` and `netmask`, many share a netmask or a method.
// Short words are looked up in a small table by a hash of their characters, and a word already
// seen reuses its string instead of making another copy.
const SHARED_MAX = 24;
const sharedTable: (string | undefined)[] = new Array(4096);

/** A hash of the characters text[start, end). */
function hashRange(text: string, start: number, end: number): number {
  let h = end - start;
  for (let i = start; i < end; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h ^ (h >>> 15);
}

/** text[start, end), the string of an earlier word of the same characters when there is one (short words only). */
export function sliceShared(text: string, start: number, end: number): string {
  const len = end - start;
  if (len > SHARED_MAX) return text.slice(start, end);
  let h = len;
  for (let i = start; i < end; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  h = (h ^ (h >>> 12)) & 4095;
  const seen = sharedTable[h];
  if (seen !== undefined && seen.length === len) {
    // (compared by hand: `startsWith` at an offset of a long text costs more than the loop)
    let i = 0;
    while (i < len && seen.charCodeAt(i) === text.charCodeAt(start + i)) i++;
    if (i === len) return seen;
  }
  const fresh = text.slice(start, end);
  sharedTable[h] = fresh;
  return fresh;
}

// The lists a parse fills. Each parse makes its own, sized from the number of physical lines so
// that a large file's lists are made once rather than grown by copying, and hands them to the tree
// without a copy when they are mostly full.

/** A growable list of integers in a typed array: int32 offsets, or a byte a line (the kinds). */
class IntList<A extends Int32Array | Uint8Array> {
  a: A;
  n = 0;
  constructor(
    private readonly make: (length: number) => A,
    capacity: number,
  ) {
    this.a = make(capacity);
  }
  push(v: number): void {
    if (this.n === this.a.length) this.grow();
    this.a[this.n++] = v;
  }
  /** Doubles the room (the first n entries kept). */
  grow(): void {
    const b = this.make(this.a.length * 2 + 16);
    b.set(this.a.subarray(0, this.n));
    this.a = b;
  }
  /** The entries: a view of the list when it is at least half full, else a copy. */
  take(): A {
    return (this.n * 2 >= this.a.length ? this.a.subarray(0, this.n) : this.a.slice(0, this.n)) as A;
  }
}
const int32 = (length: number) => new Int32Array(length);
const bytes = (length: number) => new Uint8Array(length);
let scratchWordStarts = new IntList(int32, 0);
let scratchWordEnds = new IntList(int32, 0);
let scratchLineWords = new IntList(int32, 0);
let scratchLineKinds = new IntList(bytes, 0);
let scratchCommentStarts = new IntList(int32, 0);
let scratchCommentEnds = new IntList(int32, 0);

/** New lists for a text of this many physical lines. */
function startLists(lines: number): void {
  // (most lines have one to three words; a logical line is at least one physical line)
  scratchWordStarts = new IntList(int32, lines * 3 + 16);
  scratchWordEnds = new IntList(int32, lines * 3 + 16);
  scratchLineWords = new IntList(int32, lines + 2);
  scratchLineKinds = new IntList(bytes, lines + 1);
  scratchCommentStarts = new IntList(int32, (lines >> 3) + 16);
  scratchCommentEnds = new IntList(int32, (lines >> 3) + 16);
}

/** The number of `\n` line breaks plus one (a file broken by lone `\r` only grows its lists as it goes). */
function countLines(text: string): number {
  let count = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/** How many scratch words belong to complete lines (the rest, after an exception, are dropped). */
let committedWords = 0;

interface VisitOptions {
  /** The visitor keeps no node past its call: the nodes may be reused for the next stanza. */
  reuse?: boolean;
}

/** The tree of an interfaces file: offsets, and the nodes made from them on request (see above). */
class InterfacesTree implements InterfacesAst {
  readonly errors: SyntaxProblem[] = [];
  readonly templates: TemplateLine[] = [];
  /** Start and end of each word of the logical lines, in file order (template lines excluded). */
  wordStarts!: Int32Array;
  wordEnds!: Int32Array;
  /** Logical line k has the words lineWords[k] .. lineWords[k + 1] - 1 (one more entry than lines). */
  lineWords!: Int32Array;
  /** The kind of each logical line (OPTION, IFACE...). */
  lineKinds!: Uint8Array;
  lineCount = 0;
  commentStarts!: Int32Array;
  commentEnds!: Int32Array;
  private built: { stanzas: Stanza[]; orphans: OptionNode[] } | null = null;
  private commentNodes: Comment[] | null = null;

  constructor(readonly text: string) {}

  get stanzas(): Stanza[] {
    return this.build().stanzas;
  }
  get orphans(): OptionNode[] {
    return this.build().orphans;
  }
  get comments(): Comment[] {
    if (this.commentNodes === null) {
      const starts = this.commentStarts;
      const ends = this.commentEnds;
      const out: Comment[] = new Array(starts.length);
      for (let i = 0; i < starts.length; i++) out[i] = { kind: 'comment', text: this.text.slice(starts[i], ends[i]), span: { start: starts[i], end: ends[i] } };
      this.commentNodes = out;
    }
    return this.commentNodes;
  }

  logicalLines(): LogicalLines {
    return this;
  }

  visit(stanza: (s: Stanza, line: number) => void, orphan: (o: OptionNode) => void, how?: VisitOptions): void {
    if (this.built) {
      // (already made: hand those out, with their header lines found again in order)
      const all = this.built.stanzas;
      let k = 0;
      for (let line = 0; line < this.lineCount && k < all.length; line++) if (this.lineKinds[line] !== OPTION) stanza(all[k++], line);
      for (const o of this.built.orphans) orphan(o);
      return;
    }
    this.replay(0, this.lineCount, stanza, orphan, how?.reuse === true);
  }

  stanzaAt(line: number): Stanza {
    if (line < 0 || line >= this.lineCount || this.lineKinds[line] === OPTION) throw new RangeError(`line ${line} does not open a stanza`);
    let end = line + 1;
    while (end < this.lineCount && this.lineKinds[end] === OPTION) end++;
    let found!: Stanza;
    this.replay(
      line,
      end,
      (s) => (found = s),
      () => undefined,
    );
    return found;
  }

  // The names of the iface stanzas, in an open-addressing table of header lines (line + 1; 0 is
  // empty) keyed by a hash of the name's characters: no string nor map entry per stanza.
  private nameTable: Int32Array | null = null;

  private names(): Int32Array {
    if (this.nameTable !== null) return this.nameTable;
    let count = 0;
    for (let k = 0; k < this.lineCount; k++) if (this.lineKinds[k] === IFACE) count++;
    let size = 16;
    while (size < count * 2) size *= 2;
    const table = new Int32Array(size);
    const mask = size - 1;
    const text = this.text;
    for (let k = 0; k < this.lineCount; k++) {
      if (this.lineKinds[k] !== IFACE) continue;
      const w = this.lineWords[k] + 1;
      if (w >= this.lineWords[k + 1]) continue; // (a bare `iface`)
      const a = this.wordStarts[w];
      const b = this.wordEnds[w];
      for (let slot = hashRange(text, a, b) & mask; ; slot = (slot + 1) & mask) {
        const held = table[slot];
        if (held === 0) {
          table[slot] = k + 1;
          break;
        }
        if (this.nameIs(held - 1, text, a, b)) break; // (the first stanza of a name stays)
      }
    }
    return (this.nameTable = table);
  }

  /** Whether the name of iface header line k is text[a, b) of `other`. */
  private nameIs(k: number, other: string, a: number, b: number): boolean {
    const w = this.lineWords[k] + 1;
    const start = this.wordStarts[w];
    if (this.wordEnds[w] - start !== b - a) return false;
    for (let i = 0; i < b - a; i++) if (this.text.charCodeAt(start + i) !== other.charCodeAt(a + i)) return false;
    return true;
  }

  hasIface(name: string, near?: number): boolean {
    if (near !== undefined && near >= 0 && near + 1 < this.lineCount && this.lineKinds[near + 1] === IFACE) {
      const k = near + 1;
      if (this.lineWords[k] + 1 < this.lineWords[k + 1] && this.nameIs(k, name, 0, name.length)) return true;
    }
    const table = this.names();
    const mask = table.length - 1;
    for (let slot = hashRange(name, 0, name.length) & mask; ; slot = (slot + 1) & mask) {
      const held = table[slot];
      if (held === 0) return false;
      if (this.nameIs(held - 1, name, 0, name.length)) return true;
    }
  }

  ifaceLines(name: string): number[] {
    const out: number[] = [];
    if (!this.hasIface(name)) return out;
    for (let k = 0; k < this.lineCount; k++) {
      if (this.lineKinds[k] === IFACE && this.lineWords[k] + 1 < this.lineWords[k + 1] && this.nameIs(k, name, 0, name.length)) out.push(k);
    }
    return out;
  }

  private build(): { stanzas: Stanza[]; orphans: OptionNode[] } {
    if (this.built === null) {
      const stanzas: Stanza[] = [];
      const orphans: OptionNode[] = [];
      this.replay(
        0,
        this.lineCount,
        (s) => stanzas.push(s),
        (o) => orphans.push(o),
      );
      this.built = { stanzas, orphans };
    }
    return this.built;
  }

  /**
   * Makes the nodes of logical lines [from, to): each stanza is handed on once its option lines
   * are in. With `reuse`, one iface node and one set of option nodes serve every stanza in turn.
   */
  private replay(from: number, to: number, onStanza: (s: Stanza, line: number) => void, onOrphan: (o: OptionNode) => void, reuse = false): void {
    let current: IfaceNode | MappingStanza | null = null;
    let currentLine = -1;
    const pool: OptionLine[] | null = reuse ? [] : null;
    let pooled = 0;
    let ifacePooled: IfaceNode | null = null;
    let listPooled: NameListStanza | null = null;
    for (let k = from; k < to; k++) {
      const kind = this.lineKinds[k];
      if (kind === OPTION) {
        if (pool === null) {
          const opt = this.option(k, null);
          if (current !== null) current.options.push(opt);
          else onOrphan(opt);
          continue;
        }
        const opt = this.option(k, pooled < pool.length ? pool[pooled] : null);
        if (pooled === pool.length) pool.push(opt);
        if (current === null) onOrphan(opt);
        // (a reused stanza's list is written over in place and cut to length when it closes:
        // emptying an array and pushing again would make its storage anew for every stanza)
        else if (current === ifacePooled) current.options[pooled++] = opt;
        else {
          current.options.push(opt);
          pooled++;
        }
        continue;
      }
      if (current !== null) {
        if (current === ifacePooled && current.options.length !== pooled) current.options.length = pooled;
        close(current);
        onStanza(current, currentLine);
        current = null;
      }
      pooled = 0;
      if (kind === IFACE) {
        current = this.iface(k, reuse ? ifacePooled : null);
        if (reuse) ifacePooled = current;
        currentLine = k;
      } else if (kind === MAPPING) {
        current = this.header(k, kind) as MappingStanza;
        currentLine = k;
      } else if (reuse && (kind === AUTO || kind === ALLOW || kind === NO_AUTO_DOWN || kind === NO_SCRIPTS)) {
        listPooled = this.nameList(k, kind, listPooled);
        onStanza(listPooled, k);
      } else onStanza(this.header(k, kind), k);
    }
    if (current !== null) {
      if (current === ifacePooled && current.options.length !== pooled) current.options.length = pooled;
      close(current);
      onStanza(current, currentLine);
    }
  }

  private word(i: number): Word {
    const start = this.wordStarts[i];
    const end = this.wordEnds[i];
    return new WordNode(sliceShared(this.text, start, end), start, end);
  }

  /** The Word nodes of words [from, to) of the tree. */
  words(from: number, to: number): Word[] {
    const out: Word[] = new Array(to > from ? to - from : 0);
    for (let i = from; i < to; i++) out[i - from] = this.word(i);
    return out;
  }

  /** The node of option line k (made, or `into` made that line's). */
  private option(k: number, into: OptionLine | null): OptionLine {
    const text = this.text;
    const first = this.lineWords[k];
    const next = this.lineWords[k + 1];
    const nw = next - first;
    const lineStart = this.wordStarts[first];
    const lineEnd = this.wordEnds[next - 1];
    let valueText: string | null = null;
    if (nw === 2) valueText = into === null ? sliceShared(text, this.wordStarts[first + 1], lineEnd) : text.slice(this.wordStarts[first + 1], lineEnd);
    else if (nw > 2) {
      // the value as ifupdown reads it: raw text between its first and last word, continuations removed
      let raw = text.slice(this.wordStarts[first + 1], lineEnd);
      if (raw.includes('\\')) raw = raw.replace(/\\(\r\n|\r|\n)/g, '');
      valueText = raw;
    }
    const nameText = sliceShared(text, lineStart, this.wordEnds[first]);
    const valueStart = nw > 1 ? this.wordStarts[first + 1] : lineEnd;
    if (into === null) return new OptionLine(nameText, valueText, lineStart, valueStart, lineEnd, this, first + 1, nw - 1);
    into.set(nameText, valueText, lineStart, valueStart, lineEnd, this, first + 1, nw - 1);
    return into;
  }

  /** The node of iface header k (made, or `into` made that stanza's). */
  private iface(k: number, into: IfaceNode | null): IfaceNode {
    const text = this.text;
    const first = this.lineWords[k];
    const next = this.lineWords[k + 1];
    const nw = next - first;
    const lineStart = this.wordStarts[first];
    const lineEnd = this.wordEnds[next - 1];
    const nameText = nw > 1 ? sliceShared(text, this.wordStarts[first + 1], this.wordEnds[first + 1]) : null;
    const nameStart = nw > 1 ? this.wordStarts[first + 1] : lineStart;
    let s: IfaceNode;
    if (into === null) s = new IfaceNode(lineStart, lineEnd, nameText, nameStart);
    else {
      into.reset(lineStart, lineEnd, nameText, nameStart);
      s = into;
    }
    let positional = 0;
    for (let i = first + 2; i < next; i++) {
      const a = this.wordStarts[i];
      const b = this.wordEnds[i];
      if (!s.inherits && b - a === 8 && text.startsWith('inherits', a)) {
        s.inherits = { keyword: this.word(i), template: i + 1 < next ? this.word(i + 1) : null };
        i++;
      } else if (positional === 0 && !s.inherits) {
        s.familyText = sliceShared(text, a, b);
        s.familyStart = a;
        positional++;
      } else if (positional === 1 && !s.inherits) {
        s.methodText = sliceShared(text, a, b);
        s.methodStart = a;
        positional++;
      } else (s.extra === NO_WORDS ? (s.extra = []) : s.extra).push(this.word(i));
    }
    return s;
  }

  /** The node of a name-list line (`auto`, `allow-*`, `no-scripts`...), made, or `into` made that line's. */
  private nameList(k: number, kind: number, into: NameListStanza | null): NameListStanza {
    if (into === null) return this.header(k, kind) as NameListStanza;
    const first = this.lineWords[k];
    const next = this.lineWords[k + 1];
    const text = this.text;
    const kw = into.keyword as WordNode;
    kw.start = this.wordStarts[first];
    kw.end = this.wordEnds[first];
    kw.text = sliceShared(text, kw.start, kw.end);
    into.kind = KIND_NAMES[kind] as NameListStanza['kind'];
    into.className = kind === ALLOW ? sliceShared(text, kw.start + 6, kw.end) : into.kind;
    // (span and headerSpan are one object)
    into.span.start = kw.start;
    into.span.end = this.wordEnds[next - 1];
    const names = into.names as WordNode[];
    const count = next - first - 1;
    for (let i = 0; i < count; i++) {
      const a = this.wordStarts[first + 1 + i];
      const b = this.wordEnds[first + 1 + i];
      const t = sliceShared(text, a, b);
      if (i < names.length) {
        const w = names[i];
        w.text = t;
        w.start = a;
        w.end = b;
      } else names.push(new WordNode(t, a, b));
    }
    names.length = count;
    return into;
  }

  /** The node of a header line other than `iface`. */
  private header(k: number, kind: number): Stanza {
    const first = this.lineWords[k];
    const next = this.lineWords[k + 1];
    const kw = this.word(first);
    const lineSpan: Span = { start: kw.span.start, end: this.wordEnds[next - 1] };
    switch (kind) {
      case MAPPING:
        return { kind: 'mapping', keyword: kw, span: lineSpan, headerSpan: lineSpan, patterns: this.words(first + 1, next), options: [] };
      case AUTO:
      case ALLOW:
      case NO_AUTO_DOWN:
      case NO_SCRIPTS: {
        const type = KIND_NAMES[kind] as NameListStanza['kind'];
        const className = kind === ALLOW ? kw.text.slice('allow-'.length) : type;
        return { kind: type, keyword: kw, span: lineSpan, headerSpan: lineSpan, className, names: this.words(first + 1, next) };
      }
      case SOURCE:
      case SOURCE_DIRECTORY:
        return { kind: kind === SOURCE ? 'source' : 'source-directory', keyword: kw, span: lineSpan, headerSpan: lineSpan, paths: this.words(first + 1, next) };
      default: {
        const pairs: RenameStanza['pairs'] = [];
        for (let i = first + 1; i < next; i++) {
          const w = this.word(i);
          const eq = w.text.indexOf('=');
          pairs.push({ word: w, from: eq < 0 ? w.text : w.text.slice(0, eq), to: eq < 0 ? null : w.text.slice(eq + 1) });
        }
        return { keyword: kw, span: lineSpan, headerSpan: lineSpan, kind: 'rename', pairs };
      }
    }
  }
}

/** Sets the span of a stanza to run from its keyword to its last option line. */
function close(s: IfaceNode | MappingStanza): void {
  const opts = s.options;
  if (opts.length === 0) return;
  const end = (opts[opts.length - 1] as OptionLine).end;
  if (s instanceof IfaceNode) s.closeAt(end);
  else s.span = { start: s.headerSpan.start, end };
}

/** Parses the text of an interfaces file into stanzas. Never throws. */
export function parseInterfaces(text: string): InterfacesAst {
  const tree = new InterfacesTree(text);
  committedWords = 0;
  startLists(countLines(text));
  try {
    scan(text, tree);
  } catch (e) {
    // a spent time budget abandons the read (the server says so); the scratch lists start again at the next read
    if (isBudgetExceeded(e)) throw e;
    tree.errors.push({ message: `The file could not be read completely (${e instanceof Error ? e.message : String(e)}).`, span: { start: 0, end: 0 } });
  }
  // (after an exception the lists hold the lines read before it)
  scratchWordStarts.n = scratchWordEnds.n = committedWords;
  scratchLineWords.push(committedWords);
  tree.wordStarts = scratchWordStarts.take();
  tree.wordEnds = scratchWordEnds.take();
  tree.lineWords = scratchLineWords.take();
  tree.lineCount = tree.lineWords.length - 1;
  tree.lineKinds = scratchLineKinds.take();
  tree.commentStarts = scratchCommentStarts.take();
  tree.commentEnds = scratchCommentEnds.take();
  startLists(0); // (the tree has them now)
  return tree;
}

/**
 * Splits the text into logical lines of words, collecting comments on the way, and hands each line
 * to `endLine`. One pass, no backtracking. Blanks are space, tab, \v, \f and U+FEFF; line breaks
 * \n and \r.
 *
 * (Speed: this loop sees every character of the file, most of them while the code is still cold,
 * in V8's interpreter or its baseline code, where nothing is inlined: so it calls no helper per
 * character nor per word. The characters are tested in place, a word character first (above the
 * space and no backslash, the common case), the word lists are kept in locals and written
 * directly, a comment's end is found with indexOf, and endLine is called once per logical line.
 * With the checks' own changes, the CLI's run on 20,000 stanzas went from 1.75 to 1.49 G
 * instructions: docs/benchmarks.md, "The afternoon's readers".)
 */
function scan(text: string, tree: InterfacesTree): void {
  const n = text.length;
  const st: LineState = { inTemplate: false };
  let ws = scratchWordStarts.a;
  let we = scratchWordEnds.a;
  let nw = scratchWordStarts.n;
  // the next \r at or after the comment being read (n when none): found with indexOf, again only once passed
  let nextCr = -1;
  let i = 0;
  let first = 0; // the first word of the current logical line
  let continued = false; // the previous physical line ended with `\`
  while (i < n) {
    checkpoint();
    // at the start of a physical line: its blanks
    let j = i;
    let c = 0;
    while (j < n) {
      c = text.charCodeAt(j);
      if (c === 32 || c === 9 || c === 11 || c === 12 || c === 0xfeff) j++;
      else break;
    }
    if (!continued && j < n && c === 35 /* # */) {
      let end = text.indexOf('\n', j + 1);
      if (end < 0) end = n;
      if (nextCr < j) {
        nextCr = text.indexOf('\r', j + 1);
        if (nextCr < 0) nextCr = n;
      }
      if (nextCr < end) end = nextCr;
      scratchCommentStarts.push(j);
      scratchCommentEnds.push(end);
      i = end;
    } else {
      // words up to the end of this physical line
      i = j;
      continued = false;
      while (i < n) {
        const k = text.charCodeAt(i);
        if (k === 10 || k === 13) break;
        if (k === 32 || k === 9 || k === 11 || k === 12 || k === 0xfeff) {
          i++;
          continue;
        }
        if (k === 92 /* \ */ && i + 1 < n) {
          const d = text.charCodeAt(i + 1);
          if (d === 10 || d === 13) {
            continued = true;
            i++;
            break;
          }
        }
        const start = i++;
        while (i < n) {
          const d = text.charCodeAt(i);
          if (d > 32 && d !== 92 && d !== 0xfeff) {
            i++;
            continue;
          }
          if (d === 32 || d === 9 || d === 10 || d === 11 || d === 12 || d === 13 || d === 0xfeff) break;
          if (d === 92 && i + 1 < n) {
            const e = text.charCodeAt(i + 1);
            if (e === 10 || e === 13) break;
          }
          i++;
        }
        if (nw === ws.length) {
          scratchWordStarts.n = scratchWordEnds.n = nw;
          scratchWordStarts.grow();
          scratchWordEnds.grow();
          ws = scratchWordStarts.a;
          we = scratchWordEnds.a;
        }
        ws[nw] = start;
        we[nw] = i;
        nw++;
      }
    }
    // the line break
    if (i < n) {
      if (text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) === 10) i += 2;
      else i++;
    }
    if (!continued && nw > first) {
      scratchWordStarts.n = scratchWordEnds.n = nw;
      first = endLine(text, tree, st, first);
      // (endLine takes a template line's words out again)
      nw = scratchWordStarts.n;
    }
  }
  scratchWordStarts.n = scratchWordEnds.n = nw;
  if (nw > first) endLine(text, tree, st, first);
}

interface LineState {
  /** Inside an ifupdown2 `<% ... %>` template block. */
  inTemplate: boolean;
}

/** Whether `text` has `%>` within [start, end). */
function hasTemplateEnd(text: string, start: number, end: number): boolean {
  for (let i = start; i + 1 < end; i++) if (text.charCodeAt(i) === 37 && text.charCodeAt(i + 1) === 62) return true;
  return false;
}

/**
 * A logical line whose words are the scratch words `first`.. is complete: records its kind, or
 * takes it out when it is template code, and reports what is missing from it. Returns where the
 * next line's words start.
 */
function endLine(text: string, tree: InterfacesTree, st: LineState, first: number): number {
  const ws = scratchWordStarts.a;
  const we = scratchWordEnds.a;
  const next = scratchWordStarts.n;
  const nw = next - first;
  const errors = tree.errors;
  const lineStart = ws[first];
  const lineEnd = we[next - 1];
  // (checked before the template test, as ifupdown's reading of words comes first)
  if (nw === 1 && we[first] - lineStart === 5 && text.startsWith('iface', lineStart)) {
    errors.push({ message: `Expected ${what.iface}, but the line ends there.`, span: { start: lineStart, end: lineEnd } });
  }
  // ifupdown2 runs the file through Mako first: `%` lines and `<% ... %>` blocks are template code.
  const c0 = text.charCodeAt(lineStart);
  const opensBlock = c0 === 60 /* < */ && we[first] - lineStart >= 2 && text.charCodeAt(lineStart + 1) === 37; /* % */
  if (st.inTemplate || c0 === 37 /* % */ || opensBlock) {
    tree.templates.push({ kind: 'template', span: { start: lineStart, end: lineEnd } });
    const lastStart = ws[next - 1];
    const lastEndsBlock = lineEnd - lastStart >= 2 && text.charCodeAt(lineEnd - 2) === 37 && text.charCodeAt(lineEnd - 1) === 62; /* %> */
    if (opensBlock && !lastEndsBlock) st.inTemplate = true;
    else if (st.inTemplate && hasTemplateEnd(text, lineStart, lineEnd)) st.inTemplate = false;
    // (a template line is not a line of the tree: its words go)
    scratchWordStarts.n = first;
    scratchWordEnds.n = first;
    committedWords = first;
    return first;
  }
  const kind = lineKind(text, lineStart, we[first]);
  scratchLineWords.push(first);
  scratchLineKinds.push(kind);
  committedWords = next;
  if (kind === OPTION) return next;
  if (nw === 1 && kind !== IFACE) {
    errors.push({ message: `Expected ${what[KIND_NAMES[kind]]}, but the line ends there.`, span: { start: lineStart, end: we[first] } });
  }
  if (kind === IFACE) {
    // `inherits` (its first time after the name) must be followed by a template name
    for (let i = first + 2; i < next; i++) {
      if (we[i] - ws[i] === 8 && text.startsWith('inherits', ws[i])) {
        if (i + 1 === next)
          errors.push({
            message: 'Expected the name of a stanza to inherit from after `inherits`, but the line ends there.',
            span: { start: ws[i], end: we[i] },
          });
        break;
      }
    }
  } else if (kind === RENAME) {
    for (let i = first + 1; i < next; i++) {
      const w = text.slice(ws[i], we[i]);
      const eq = w.indexOf('=');
      if (eq <= 0 || eq === w.length - 1) {
        errors.push({
          message: `Expected \`CURRENT=NEW\` (the interface's current name, \`=\`, its new name), but found \`${w}\`.`,
          span: { start: ws[i], end: we[i] },
        });
      }
    }
  }
  return next;
}

/** Token names, for tests and the completion of keywords. */

export type { SyntaxProblem, Comment };
