// Lexer and parser of /etc/network/interfaces (chevrotain), and the step that groups the
// parsed lines into stanzas. The file is line oriented, as ifupdown reads it:
//  - a line whose first non-blank character is `#` is a comment; a `#` later in a line is data;
//  - a `\` that is the last character of a line joins the next line to it;
//  - the first word of a logical line decides: a stanza keyword opens a stanza, anything else
//    is an option of the current `iface` or `mapping` stanza.
import { createToken, EmbeddedActionsParser, Lexer, type IToken, type TokenType, type IParserErrorMessageProvider } from 'chevrotain';
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

// ---- tokens ---------------------------------------------------------------------------------

const WORD_RE = /(?:[^ \t\n\r\v\f\\]|\\(?![\r\n]))+/;

const Newline = createToken({ name: 'Newline', pattern: /\r\n|\r|\n/, line_breaks: true, label: 'the end of the line' });
const Continuation = createToken({ name: 'Continuation', pattern: /\\(?:\r\n|\r|\n)/, line_breaks: true, group: Lexer.SKIPPED });
const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\v\f\uFEFF]+/, group: Lexer.SKIPPED });

/** `#` starts a comment only as the first non-blank character of a logical line. */
function matchComment(text: string, offset: number): RegExpExecArray | null {
  if (text.charCodeAt(offset) !== 35 /* # */) return null;
  let i = offset - 1;
  while (i >= 0) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 11 || c === 12 || c === 0xfeff) i--;
    else break;
  }
  if (i >= 0) {
    const c = text.charCodeAt(i);
    if (c !== 10 && c !== 13) return null; // something before it on this line
    // the previous line ends with `\`: this line continues it, so `#` is data
    let j = i - 1;
    if (c === 10 && text.charCodeAt(j) === 13) j--;
    if (j >= 0 && text.charCodeAt(j) === 92) return null;
  }
  let end = offset;
  while (end < text.length) {
    const c = text.charCodeAt(end);
    if (c === 10 || c === 13) break;
    end++;
  }
  const m = [text.slice(offset, end)] as unknown as RegExpExecArray;
  m.index = offset;
  m.input = text;
  return m;
}

const Comment = createToken({ name: 'Comment', pattern: { exec: matchComment }, line_breaks: false, start_chars_hint: ['#'], group: 'comments' });
const AnyWord = createToken({ name: 'AnyWord', pattern: Lexer.NA, label: 'a word' });
const Word = createToken({ name: 'Word', pattern: WORD_RE, categories: [AnyWord], label: 'a word' });

function keyword(name: string, text: string): TokenType {
  return createToken({ name, pattern: new RegExp(text.replace(/[-]/g, '\\-')), longer_alt: Word, categories: [AnyWord], label: `\`${text}\`` });
}
const Iface = keyword('Iface', 'iface');
const Mapping = keyword('Mapping', 'mapping');
const Auto = keyword('Auto', 'auto');
const Allow = createToken({ name: 'Allow', pattern: /allow-(?:[^ \t\n\r\v\f\\]|\\(?![\r\n]))+/, categories: [AnyWord], label: '`allow-CLASS`' });
const SourceDirectory = keyword('SourceDirectory', 'source-directory');
const Source = keyword('Source', 'source');
const Rename = keyword('Rename', 'rename');
const NoAutoDown = keyword('NoAutoDown', 'no-auto-down');
const NoScripts = keyword('NoScripts', 'no-scripts');

const allTokens = [
  Newline,
  Continuation,
  WhiteSpace,
  Comment,
  Iface,
  Mapping,
  Auto,
  Allow,
  SourceDirectory,
  Source,
  Rename,
  NoAutoDown,
  NoScripts,
  Word,
  AnyWord,
];

let lexer: Lexer | undefined;
function getLexer(): Lexer {
  lexer ??= new Lexer(allTokens, { positionTracking: 'onlyOffset', ensureOptimizations: false, skipValidations: true });
  return lexer;
}

// ---- parser ---------------------------------------------------------------------------------

/** One logical line as the grammar sees it. */
interface RawLine {
  type: 'iface' | 'mapping' | 'auto' | 'allow' | 'source' | 'source-directory' | 'rename' | 'no-auto-down' | 'no-scripts' | 'option';
  words: IToken[];
}

const what: Record<string, string> = {
  ifaceLine: 'an interface name after `iface`',
  mappingLine: 'an interface name or pattern after `mapping`',
  autoLine: 'at least one interface name after `auto`',
  allowLine: 'at least one interface name after the `allow-` line',
  sourceLine: 'a file name or pattern after `source`',
  sourceDirectoryLine: 'a directory after `source-directory`',
  renameLine: 'at least one `CURRENT=NEW` pair after `rename`',
  noAutoDownLine: 'at least one interface name after `no-auto-down`',
  noScriptsLine: 'at least one interface name after `no-scripts`',
};

function found(t: IToken | undefined): string {
  if (!t || t.tokenType === Newline || t.image === '') return 'the line ends there';
  return `found \`${t.image.length > 40 ? t.image.slice(0, 40) + '…' : t.image}\``;
}

const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, actual, ruleName }) => {
    const wanted = ruleName in what && expected === AnyWord ? what[ruleName] : expected.LABEL ?? expected.name;
    return `Expected ${wanted}, but ${found(actual)}.`;
  },
  buildNotAllInputParsedMessage: ({ firstRedundant }) => `Expected the end of the file, but ${found(firstRedundant)}.`,
  buildNoViableAltMessage: ({ actual }) => `Expected a stanza keyword or an option line, but ${found(actual[0])}.`,
  buildEarlyExitMessage: ({ actual, ruleName }) => `Expected ${what[ruleName] ?? 'a word'}, but ${found(actual[0])}.`,
};

class InterfacesParser extends EmbeddedActionsParser {
  constructor() {
    super(allTokens, { recoveryEnabled: true, errorMessageProvider: messages, maxLookahead: 1, skipValidations: true });
    // Recovery inside repetitions scans ahead through the rest of the file each time a word list
    // ends; lines are short and end with a newline, so single-token insertion and re-syncing at
    // the end of the rule are enough (and keep parsing linear).
    (this as unknown as { attemptInRepetitionRecovery: () => void }).attemptInRepetitionRecovery = () => {};
    this.performSelfAnalysis();
  }

  /** Never drop a token to repair a line: the dropped token could be the newline, and two lines would merge. */
  override canTokenTypeBeDeletedInRecovery(): boolean {
    return false;
  }

  public file = this.RULE('file', (): RawLine[] => {
    const lines: RawLine[] = [];
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(Newline) },
        {
          ALT: () => {
            const l = this.SUBRULE(this.line);
            if (l) lines.push(l);
          },
        },
      ]);
    });
    return lines;
  });

  private line = this.RULE(
    'line',
    (): RawLine | null => {
      const result = this.OR([
        { ALT: () => this.SUBRULE(this.ifaceLine) },
        { ALT: () => this.SUBRULE(this.mappingLine) },
        { ALT: () => this.SUBRULE(this.autoLine) },
        { ALT: () => this.SUBRULE(this.allowLine) },
        { ALT: () => this.SUBRULE(this.sourceLine) },
        { ALT: () => this.SUBRULE(this.sourceDirectoryLine) },
        { ALT: () => this.SUBRULE(this.renameLine) },
        { ALT: () => this.SUBRULE(this.noAutoDownLine) },
        { ALT: () => this.SUBRULE(this.noScriptsLine) },
        { ALT: () => this.SUBRULE(this.optionLine) },
      ]);
      this.CONSUME(Newline);
      return result;
    },
    { recoveryValueFunc: () => null },
  );

  /** A keyword and its words. An empty list is reported when the lines are grouped, so that the line is kept. */
  private listLine(type: RawLine['type'], tok: TokenType): RawLine {
    const words: IToken[] = [this.CONSUME(tok)];
    this.MANY(() => words.push(this.CONSUME(AnyWord)));
    return { type, words };
  }

  private ifaceLine = this.RULE('ifaceLine', (): RawLine => {
    const words: IToken[] = [this.CONSUME(Iface)];
    words.push(this.CONSUME(AnyWord));
    this.MANY(() => words.push(this.CONSUME2(AnyWord)));
    return { type: 'iface', words };
  });
  private mappingLine = this.RULE('mappingLine', (): RawLine => this.listLine('mapping', Mapping));
  private autoLine = this.RULE('autoLine', (): RawLine => this.listLine('auto', Auto));
  private allowLine = this.RULE('allowLine', (): RawLine => this.listLine('allow', Allow));
  private sourceLine = this.RULE('sourceLine', (): RawLine => this.listLine('source', Source));
  private sourceDirectoryLine = this.RULE('sourceDirectoryLine', (): RawLine => this.listLine('source-directory', SourceDirectory));
  private renameLine = this.RULE('renameLine', (): RawLine => this.listLine('rename', Rename));
  private noAutoDownLine = this.RULE('noAutoDownLine', (): RawLine => this.listLine('no-auto-down', NoAutoDown));
  private noScriptsLine = this.RULE('noScriptsLine', (): RawLine => this.listLine('no-scripts', NoScripts));
  private optionLine = this.RULE('optionLine', (): RawLine => {
    const words: IToken[] = [this.CONSUME(Word)];
    this.MANY(() => words.push(this.CONSUME(AnyWord)));
    return { type: 'option', words };
  });
}

let parser: InterfacesParser | undefined;
function getParser(): InterfacesParser {
  parser ??= new InterfacesParser();
  return parser;
}

// ---- from tokens to stanzas -----------------------------------------------------------------

function real(t: IToken): boolean {
  return !t.isInsertedInRecovery && t.image !== '' && Number.isFinite(t.startOffset);
}

function word(t: IToken): Word {
  return { text: t.image, span: { start: t.startOffset, end: t.startOffset + t.image.length } };
}

/** The value of an option line as ifupdown reads it: raw text between its first and last word, continuations removed. */
function valueOf(text: string, words: IToken[]): Word | null {
  if (words.length === 0) return null;
  const start = words[0].startOffset;
  const last = words[words.length - 1];
  const end = last.startOffset + last.image.length;
  if (words.length === 1) return { text: words[0].image, span: { start, end } };
  let raw = text.slice(start, end);
  if (raw.includes('\\')) raw = raw.replace(/\\(\r\n|\r|\n)/g, '');
  return { text: raw, span: { start, end } };
}

function spanOf(words: Word[] | IToken[]): Span {
  const first = words[0] as Word | IToken;
  const last = words[words.length - 1] as Word | IToken;
  const s = 'span' in first ? first.span.start : first.startOffset;
  const e = 'span' in last ? last.span.end : last.startOffset + last.image.length;
  return { start: s, end: e };
}

/** Parses the text of an interfaces file into stanzas. Never throws. */
export function parseInterfaces(text: string): InterfacesAst {
  const ast: InterfacesAst = { stanzas: [], orphans: [], templates: [], comments: [], errors: [] };
  try {
    buildInto(text, ast);
  } catch (e) {
    ast.errors.push({ message: `The file could not be read completely (${e instanceof Error ? e.message : String(e)}).`, span: { start: 0, end: 0 } });
  }
  return ast;
}

function buildInto(text: string, ast: InterfacesAst): void {
  const lexed = getLexer().tokenize(text);
  for (const c of lexed.groups.comments ?? []) ast.comments.push({ kind: 'comment', text: c.image, span: { start: c.startOffset, end: c.startOffset + c.image.length } });
  for (const e of lexed.errors) {
    ast.errors.push({ message: `Unexpected character ${JSON.stringify(text.substr(e.offset, 1))}.`, span: { start: e.offset, end: e.offset + Math.max(1, e.length) } });
  }
  const tokens = lexed.tokens;
  // The grammar ends each line with a newline: give the last line one if the file lacks it.
  const lastTok = tokens[tokens.length - 1];
  if (!lastTok || lastTok.tokenType !== Newline) {
    tokens.push({ image: '', startOffset: text.length, endOffset: text.length, tokenType: Newline, tokenTypeIdx: Newline.tokenTypeIdx! } as IToken);
  }
  const p = getParser();
  const lines: RawLine[] = [];
  let from = 0;
  // Recovery stops at the end of a broken line; should it ever give up, start again on the next line.
  while (from < tokens.length) {
    p.input = from === 0 ? tokens : tokens.slice(from);
    const got = p.file();
    for (const l of got ?? []) if (l) lines.push(l);
    let stoppedAt = tokens.length;
    for (const e of p.errors) {
      const t = e.token;
      const prev = (e as { previousToken?: IToken }).previousToken;
      let span: Span;
      if (t && real(t) && t.tokenType !== Newline) span = { start: t.startOffset, end: t.startOffset + t.image.length };
      else if (prev && real(prev)) span = { start: prev.startOffset, end: prev.startOffset + prev.image.length };
      else {
        const at = t && Number.isFinite(t.startOffset) ? t.startOffset : text.length;
        span = { start: at, end: at };
      }
      if (!/\bEOF\b/.test(e.message) && e.name !== 'NotAllInputParsedException') ast.errors.push({ message: e.message, span });
      if (e.name === 'NotAllInputParsedException' && t) stoppedAt = Math.min(stoppedAt, tokens.indexOf(t, from));
    }
    if (stoppedAt >= tokens.length) break;
    // skip to just after the next newline
    let i = stoppedAt;
    while (i < tokens.length && tokens[i].tokenType !== Newline) i++;
    from = i + 1;
  }
  group(text, lines, ast);
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
    const toks = line.words.filter(real);
    if (toks.length === 0) continue;
    const words = toks.map(word);
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
      const opt: OptionNode = { kind: 'option', name: words[0], value: valueOf(text, toks.slice(1)), values: words.slice(1), span: lineSpan };
      if (current) current.options.push(opt);
      else ast.orphans.push(opt);
      continue;
    }
    close();
    current = null;
    const kw = words[0];
    const args = words.slice(1);
    if (args.length === 0 && line.type !== 'iface') {
      ast.errors.push({ message: `Expected ${what[line.type === 'source-directory' ? 'sourceDirectoryLine' : line.type.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()) + 'Line']}, but the line ends there.`, span: kw.span });
    }
    const base = { keyword: kw, span: lineSpan, headerSpan: lineSpan };
    let stanza: Stanza;
    switch (line.type) {
      case 'iface': {
        const s: IfaceStanza = { ...base, kind: 'iface', name: args[0] ?? null, family: null, method: null, inherits: null, extra: [], options: [] };
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
        const s: MappingStanza = { ...base, kind: 'mapping', patterns: args, options: [] };
        current = s;
        stanza = s;
        break;
      }
      case 'auto':
      case 'allow':
      case 'no-auto-down':
      case 'no-scripts': {
        const className = line.type === 'allow' ? kw.text.slice('allow-'.length) : line.type;
        const s: NameListStanza = { ...base, kind: line.type, className, names: args };
        stanza = s;
        break;
      }
      case 'source':
      case 'source-directory': {
        const s: SourceStanza = { ...base, kind: line.type, paths: args };
        stanza = s;
        break;
      }
      case 'rename': {
        const s: RenameStanza = {
          ...base,
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
