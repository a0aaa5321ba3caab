// xend-config.sxp: set (network-script ...) and (vif-script ...) in place. The first expression
// of each key is the one xend reads: its value is replaced; later ones with the same key get the
// same value (so the file says one thing). Comments and other expressions are kept as they are;
// commented-out defaults (`#(network-script network-bridge)`) stay comments.
import { parseSxp } from './parser';
import { readSettings } from './settings';
import type { SxpNode } from './ast';
import { appendBlock, applyEdits, eolOf, nextLineAt, type Edit } from '../../core/edit';

/** How a value is written: a bare word when it has no space or special character, else quoted. */
export function sxpValue(value: string): string {
  if (/^[A-Za-z0-9_./=+-]+$/.test(value)) return value;
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function valueOf(node: SxpNode | undefined): string | undefined {
  if (!node) return undefined;
  if (node.kind === 'atom') return node.text;
  if (node.kind === 'string') return node.value;
  return undefined;
}

export interface XendScripts {
  networkScript: string;
  vifScript: string;
}

/**
 * The text of xend-config.sxp with both scripts set. `text` undefined: a new file. `comment`
 * lines (without `#`) head the block when the settings have to be appended.
 */
export function setXendScripts(text: string | undefined, scripts: XendScripts, comment: string[] = []): string {
  const wanted: [string, string][] = [
    ['network-script', scripts.networkScript],
    ['vif-script', scripts.vifScript],
  ];
  if (text === undefined) {
    return [
      '# -*- sh -*-',
      "# xend's settings (xend-config.sxp). Only the networking scripts are set here; xend",
      '# uses its defaults for everything else.',
      '',
      ...comment.map((c) => `# ${c}`),
      ...wanted.map(([k, v]) => `(${k} ${sxpValue(v)})`),
      '',
    ].join('\n');
  }
  const file = parseSxp(text);
  const settings = readSettings(file);
  const edits: Edit[] = [];
  const missing: [string, string][] = [];
  let lastEnd = -1;
  for (const [key, value] of wanted) {
    const found = settings.filter((s) => s.key === key);
    if (!found.length) {
      missing.push([key, value]);
      continue;
    }
    for (const s of found) {
      lastEnd = Math.max(lastEnd, s.list.span.end);
      const nodes = s.value ? [s.value, ...s.extra] : [];
      if (nodes.length === 1 && valueOf(nodes[0]) === value) continue;
      if (nodes.length) edits.push({ start: nodes[0].span.start, end: nodes[nodes.length - 1].span.end, text: sxpValue(value) });
      else {
        const at = s.list.close ? s.list.close.start : s.list.span.end;
        edits.push({ start: at, end: at, text: ` ${sxpValue(value)}` });
      }
    }
  }
  if (missing.length) {
    const lines = missing.map(([k, v]) => `(${k} ${sxpValue(v)})`);
    if (lastEnd >= 0) {
      // next to its partner, on the following line
      const at = nextLineAt(text, lastEnd);
      const eol = eolOf(text);
      const lead = at === text.length && !text.endsWith('\n') ? eol : '';
      edits.push({ start: at, end: at, text: lead + lines.map((l) => l + eol).join('') });
    } else {
      edits.push(appendBlock(text, [...comment.map((c) => `# ${c}`), ...lines]));
    }
  }
  return applyEdits(text, edits);
}
