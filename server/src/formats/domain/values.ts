// The values of a domain file built from offsets into the text: strings (xl's escapes decoded),
// numbers, triple-quoted strings. The parser's fast path and the chevrotain parser's actions
// both build their nodes here, so both give the same nodes for the same text.
import type { NumberValue, StringValue, XlIssue } from './ast';

/** A name or text shortened for a message. */
export function short(text: string, max = 40): string {
  return text.length > max ? text.slice(0, max) + '…' : text;
}

/** Numbers xl reads: `[0-9][0-9a-fx]*` (decimal, octal with a leading 0, 0x… hexadecimal). */
export const XL_NUMBER = /^[0-9][0-9a-fx]*$/;

export function numberValue(text: string, start: number, end: number): NumberValue {
  const t = text.slice(start, end);
  let value = NaN;
  if (/^0x[0-9a-f]+$/.test(t)) value = parseInt(t.slice(2), 16);
  else if (/^0[0-7]*$/.test(t)) value = t.length > 1 ? parseInt(t.slice(1), 8) : 0;
  else if (/^[1-9][0-9]*$/.test(t)) value = Number(t);
  return { kind: 'number', span: { start, end }, text: t, value };
}

export function tripleValue(text: string, start: number, end: number): StringValue {
  return {
    kind: 'string',
    span: { start, end },
    contentSpan: { start: start + 3, end: end - 3 },
    quote: text[start] as "'" | '"',
    value: text.slice(start + 3, end - 3),
  };
}

const ESCAPES: Record<string, string> = { '"': '"', "'": "'", '\\': '\\', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** Decodes the quoted string text[start, end) with xl's escapes; escapes xl refuses are xl issues (Python keeps them). */
export function stringValue(text: string, start: number, end: number, issues: XlIssue[], unterminated = false): StringValue {
  const quote = text[start] as "'" | '"';
  const contentEnd = unterminated ? end : end - 1;
  const span = { start, end };
  const contentSpan = { start: start + 1, end: contentEnd };
  let plain = true;
  for (let k = start + 1; k < contentEnd; k++) {
    if (text.charCodeAt(k) === 92) {
      plain = false;
      break;
    }
  }
  if (plain) return { kind: 'string', span, contentSpan, quote, value: text.slice(start + 1, contentEnd) };
  const content = text.slice(start + 1, contentEnd);
  let value = '';
  const offsets: number[] = [];
  let i = 0;
  while (i < content.length) {
    const c = content[i];
    const at = contentSpan.start + i;
    if (c !== '\\' || i + 1 >= content.length) {
      offsets.push(at);
      value += c;
      i++;
      continue;
    }
    const n = content[i + 1];
    if (n in ESCAPES) {
      offsets.push(at);
      value += ESCAPES[n];
      i += 2;
    } else if (n === 'x') {
      const hex = /^[0-9a-fA-F]{2}/.exec(content.slice(i + 2, i + 4));
      if (hex) {
        offsets.push(at);
        value += String.fromCharCode(parseInt(hex[0], 16));
        i += 4;
      } else {
        issues.push({ span: { start: at, end: at + 2 }, kind: 'lexical', message: "xl needs exactly two hexadecimal digits after '\\x' in a string." });
        offsets.push(at);
        value += '\\';
        i++;
      }
    } else if (n >= '0' && n <= '7') {
      const oct = /^[0-7]{1,3}/.exec(content.slice(i + 1, i + 4))![0];
      offsets.push(at);
      value += String.fromCharCode(parseInt(oct, 8));
      i += 1 + oct.length;
    } else {
      issues.push({
        span: { start: at, end: at + 2 },
        kind: 'lexical',
        message: `xl does not know the escape '\\${n}' in a string (it knows \\' \\" \\\\ \\n \\t \\r \\a \\b \\f \\v, \\xHH and octal); write '\\\\' for a backslash.`,
      });
      offsets.push(at);
      value += '\\';
      i++;
    }
  }
  offsets.push(contentSpan.end);
  return { kind: 'string', span, contentSpan, quote, value, offsets };
}

/** Names xl reads as keys: lower-case letters, digits, '_' and '.', starting with a letter. */
export const XL_IDENT = /^[a-z][._0-9a-z]*$/;

/** A whole number with its thousands grouped by commas, as toLocaleString('en') writes it (without loading the locale data: 80 ms of a cold process). */
export function grouped(n: number): string {
  const s = String(Math.trunc(Math.abs(n)));
  let out = '';
  for (let k = 0; k < s.length; k++) {
    if (k > 0 && (s.length - k) % 3 === 0) out += ',';
    out += s[k];
  }
  return (n < 0 ? '-' : '') + out;
}
