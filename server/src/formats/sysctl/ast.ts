// The syntax tree of a sysctl file (/etc/sysctl.conf, /etc/sysctl.d/*.conf) as procps' `sysctl -p`
// reads it: a line is blank, a comment (first non-blank character `#` or `;`), or `key = value`.
import type { Span } from '../../core/text';

/** A line with `=`: what sysctl -p reads as a setting (checks.ts says when it refuses one). */
export interface SysctlEntry {
  /** 1-based line number. */
  line: number;
  /** From the line's first non-blank character to its last. */
  span: Span;
  /** The key as written: the text before the first `=`, blanks trimmed, one leading `-` taken off. */
  key: string;
  keySpan: Span;
  /** A leading `-`: sysctl -p is silent when the kernel has no such key. */
  ignoreUnknown: boolean;
  /** The value as written: after the first `=`, blanks trimmed (may be empty). */
  value: string;
  valueSpan: Span;
}

/** A line sysctl -p skips as "invalid syntax": neither blank, a comment, nor `key = value`. */
export interface SysctlInvalidLine {
  line: number;
  span: Span;
}

/**
 * A setting as the host model reads it (the key made of letters, digits and `_ . / -`, with `/`
 * read as `.`; the value may be empty): the lines that can say something about IP forwarding.
 */
export interface SysctlSetting {
  key: string;
  value: string;
  span: Span;
}

export interface SysctlFile {
  text: string;
  entries: SysctlEntry[];
  invalid: SysctlInvalidLine[];
  comments: Span[];
  /** The entries whose key is a plain sysctl name (see SysctlSetting), in file order. */
  settings: SysctlSetting[];
}

/** A problem sysctl -p has with a line (it fails on it, or skips it as invalid). */
export interface SysctlProblem {
  /** 1-based line number. */
  line: number;
  span: Span;
  message: string;
}
