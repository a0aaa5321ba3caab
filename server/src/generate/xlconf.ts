// xl.conf: set `vif.default.*` keys in place. xl reads the last assignment of a key, so that one
// is changed; a missing key is appended. Everything else is kept as it is.
import { parseDomain } from '../formats/domain/parser';
import { lastAssignment } from '../formats/domain/ast';
import { appendBlock, applyEdits, type Edit } from '../core/edit';

/** A double-quoted xl string (the values here are script and interface names). */
export function xlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The text of xl.conf with each key set to its string value. `text` undefined: a new file. */
export function setXlConf(text: string | undefined, entries: [string, string][], comment: string[] = []): string {
  if (text === undefined) {
    return [
      '# xl.conf: settings of the xl toolstack for every guest of this host (see xl.conf(5)).',
      '',
      ...comment.map((c) => `# ${c}`),
      ...entries.map(([k, v]) => `${k}=${xlString(v)}`),
      '',
    ].join('\n');
  }
  const file = parseDomain(text);
  const edits: Edit[] = [];
  const missing: string[] = [];
  for (const [key, value] of entries) {
    const a = lastAssignment(file, key);
    if (!a || a.op !== '=') {
      missing.push(`${key}=${xlString(value)}`);
      continue;
    }
    if (a.value?.kind === 'string' && a.value.value === value) continue;
    if (a.value) edits.push({ start: a.value.span.start, end: a.value.span.end, text: xlString(value) });
    else {
      const at = a.opSpan ? a.opSpan.end : a.span.end;
      edits.push({ start: at, end: a.span.end, text: xlString(value) });
    }
  }
  if (missing.length) edits.push(appendBlock(text, [...comment.map((c) => `# ${c}`), ...missing]));
  return applyEdits(text, edits);
}
