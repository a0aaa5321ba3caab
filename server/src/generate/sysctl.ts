// /etc/sysctl.d/xen-routed.conf: IP forwarding for a routed host under xl. xend's network-route
// turned forwarding on when xend started; xl runs no network script, so the setting has to be a
// file the boot reads (and the apply script loads it with sysctl -p).
import { eolOf } from './edit';

const HEADER = [
  '# Routed Xen networking: the host forwards the guests\' packets (written by the Xen network setup).',
  "# xl runs no network script, so IP forwarding is turned on here, as xend's network-route did.",
];

/** text with `net.ipv4.ip_forward = 1`: an existing setting of it is changed in place, else the line is added. */
export function ensureForwarding(text: string | undefined): string {
  if (text === undefined || text.trim() === '') return [...HEADER, 'net.ipv4.ip_forward = 1', ''].join('\n');
  const eol = eolOf(text);
  const lines = text.split(eol);
  let found = false;
  const out = lines.map((line) => {
    // (the s flag: `.*` then takes the rest whatever it holds, so `(\S*)(.*)$` never backtracks)
    const m = /^(\s*)(net[./]ipv4[./]ip_forward)(\s*=\s*)(\S*)(.*)$/s.exec(line);
    if (!m) return line;
    found = true;
    return m[4] === '1' ? line : `${m[1]}${m[2]}${m[3]}1${m[5]}`;
  });
  if (found) return out.join(eol);
  const body = text.endsWith(eol) ? text : text + eol;
  return body + 'net.ipv4.ip_forward = 1' + eol;
}
