// What a sysctl file says, read from its tree for the rest of the server: the keys it sets (the
// apply saves each one's value before sysctl -p, to set it back on a rollback) and IP forwarding
// (the host model and its checks).
import type { Span } from '../../core/text';
import type { SysctlFile } from './ast';
import { entryProblem } from './checks';
import { sysctlName } from './parser';

/** The settings sysctl -p makes from the file (keys with `/` read as `.`), in file order, with their values and lines. */
export function sysctlSettings(file: SysctlFile): { key: string; value: string; line: number }[] {
  return file.entries.filter((e) => entryProblem(e.key, e.value) === undefined).map((e) => ({ key: sysctlName(e.key), value: e.value, line: e.line }));
}

/** The keys that turn IPv4 forwarding on or off. */
export const FORWARDING_KEYS: readonly string[] = ['net.ipv4.ip_forward', 'net.ipv4.conf.all.forwarding'];

/** IPv4 forwarding as the file sets it (its last forwarding line wins); undefined when it does not. */
export function forwardingOf(file: SysctlFile): { on: boolean; span: Span } | undefined {
  let found: { on: boolean; span: Span } | undefined;
  for (const s of file.settings) if (FORWARDING_KEYS.includes(s.key)) found = { on: s.value.trim() === '1', span: s.span };
  return found;
}
