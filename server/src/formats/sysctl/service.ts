// The sysctl format (/etc/sysctl.conf, /etc/sysctl.d/*.conf): no language of its own in the
// editor (so no FormatService), read by the host model (IP forwarding) and the apply (the keys it
// saves, the syntax sysctl -p accepts).
import type { SysctlFile, SysctlProblem } from './ast';
import { checkSysctl } from './checks';
import { sysctlSettings } from './features';
import { parseSysctl } from './parser';

export type { SysctlEntry, SysctlFile, SysctlProblem, SysctlSetting } from './ast';
export { parseSysctl, sysctlName } from './parser';
export { checkSysctl } from './checks';
export { forwardingOf, sysctlSettings, FORWARDING_KEYS } from './features';
export { ensureForwarding } from './edit';

/** A sysctl text's settings (as sysctl -p makes them) and its problems (what sysctl -p refuses). Never throws. */
export function readSysctl(text: string): { settings: { key: string; value: string; line: number }[]; problems: { line: number; message: string }[] } {
  const file: SysctlFile = parseSysctl(text);
  return { settings: sysctlSettings(file), problems: checkSysctl(file).map((p: SysctlProblem) => ({ line: p.line, message: p.message })) };
}
