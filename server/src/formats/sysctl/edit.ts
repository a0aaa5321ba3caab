// Edits of a sysctl file, made on its parsed lines: IP forwarding for a routed host under xl
// (/etc/sysctl.d/xen-routed.conf). xend's network-route turned forwarding on when xend started;
// xl runs no network script, so the setting has to be a file the boot reads (and the apply
// script loads it with sysctl -p).
import { applyEdits, eolOf, type Edit } from '../../core/edit';
import { isSysctlBlank, parseSysctl, sysctlName } from './parser';

const HEADER = [
  "# Routed Xen networking: the host forwards the guests' packets (written by the Xen network setup).",
  "# xl runs no network script, so IP forwarding is turned on here, as xend's network-route did.",
];

const FORWARD_KEY = 'net.ipv4.ip_forward';

/**
 * text with `net.ipv4.ip_forward = 1`: each line setting it to another value gets 1 in place of
 * its value's first word (what follows stays), else the line is added; a file with nothing in
 * it becomes a new one with a header.
 */
export function ensureForwarding(text: string | undefined): string {
  if (text === undefined || text.trim() === '') return [...HEADER, `${FORWARD_KEY} = 1`, ''].join('\n');
  const file = parseSysctl(text);
  const edits: Edit[] = [];
  let found = false;
  for (const e of file.entries) {
    if (sysctlName(e.key) !== FORWARD_KEY) continue;
    found = true;
    let end = e.valueSpan.start;
    while (end < e.valueSpan.end && !isSysctlBlank(text.charCodeAt(end))) end++;
    if (text.slice(e.valueSpan.start, end) !== '1') edits.push({ start: e.valueSpan.start, end, text: '1' });
  }
  if (found) return applyEdits(text, edits);
  const eol = eolOf(text);
  const body = text.endsWith(eol) ? text : text + eol;
  return body + `${FORWARD_KEY} = 1` + eol;
}
