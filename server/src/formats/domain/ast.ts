// The typed AST of a Xen domain file (xl's syntax, and the Python that xm files used).
// Every node carries its exact span (UTF-16 offsets into the document).
import type { Span } from '../../core/text';

export type { Span };

/** A quoted string. `value` is the decoded text (xl's escape rules); `contentSpan` excludes the quotes. */
export interface StringValue {
  kind: 'string';
  span: Span;
  contentSpan: Span;
  quote: "'" | '"';
  value: string;
  /** Document offset of each character of `value` (length value.length + 1), present only when escapes changed lengths. */
  offsets?: number[];
}

export interface NumberValue {
  kind: 'number';
  span: Span;
  text: string;
  /** NaN when the text is not a number xl can read (e.g. `08`, `12abc`). */
  value: number;
}

export interface ListValue {
  kind: 'list';
  span: Span;
  items: Value[];
  trailingComma: boolean;
}

/** Any Python expression xl cannot read: `%` formatting, arithmetic, calls, names, True/False, tuples… */
export interface PythonValue {
  kind: 'python';
  span: Span;
  /** What it is, in plain words: "`%` formatting", "a function call"… */
  construct: string;
  /** Literal values found inside (strings, lists), e.g. the format string of `'vm%d' % 1`. */
  parts: Value[];
}

export type Value = StringValue | NumberValue | ListValue | PythonValue;

export interface Key {
  name: string;
  span: Span;
}

export interface Assignment {
  kind: 'assignment';
  span: Span;
  /** The name assigned; null when the target is not a plain name (e.g. `x[0] = 1`). */
  key: Key | null;
  /** The target when it is Python (a subscript, a tuple…). */
  pythonTarget?: PythonValue;
  op: string;
  opSpan: Span | null;
  /** null when the value is missing or could not be parsed. */
  value: Value | null;
  /** Inside a Python `def` or `class` body: a local variable, not a domain setting. */
  local: boolean;
  /** Inside a Python `if`/`else`/`for`/`try` block: set only on some paths. */
  conditional: boolean;
}

/** A Python statement with no xl meaning: `import`, `def f(x):`, `if …:`, `xm_vars.check()`, `return`… */
export interface PythonStatement {
  kind: 'python';
  span: Span;
  /** The leading keyword (`def`, `if`, `import`…) or `expression`. */
  keyword: string;
  /** A `def NAME` or `class NAME`: its name. */
  name?: Key;
  /** Opens an indented block (`def`, `if`, `else`, `for`…). */
  header: boolean;
  local: boolean;
}

export type Statement = Assignment | PythonStatement;

export interface Comment {
  span: Span;
  text: string;
}

export interface SyntaxProblem {
  span: Span;
  message: string;
}

/** Something xl (libxlutil) rejects though xm's Python reads it. */
export interface XlIssue {
  span: Span;
  /** 'python': Python syntax; 'lexical': characters or escapes xl's lexer refuses. */
  kind: 'python' | 'lexical';
  message: string;
}

export interface DomainFile {
  kind: 'file';
  span: Span;
  statements: Statement[];
  comments: Comment[];
  /** Syntax errors whatever the toolstack (neither xl nor Python reads these). */
  errors: SyntaxProblem[];
  /** Places where xl would reject the file. */
  xlIssues: XlIssue[];
  /** True when the file contains Python constructs (then it is an xm file). */
  usesPython: boolean;
  /** Where the parser stopped reading, or a statement too long to read: not checked (see MAX_DOMAIN_STATEMENTS). */
  notRead?: { span: Span; message: string };
}

/** Every assignment that sets a domain key (not a local of a Python function), in file order. */
export function settings(file: DomainFile): Assignment[] {
  const out: Assignment[] = [];
  for (const s of file.statements) if (s.kind === 'assignment' && s.key && !s.local) out.push(s);
  return out;
}

/** The last assignment of a key (xl and Python both keep the last). */
export function lastAssignment(file: DomainFile, key: string): Assignment | undefined {
  let found: Assignment | undefined;
  for (const a of settings(file)) if (a.key!.name === key) found = a;
  return found;
}
