// Shared helpers of the domain-file tests.
import { domainService } from '../../../server/src/formats/domain/service';
import { defaultSettings, type Settings, type Toolstack } from '../../../server/src/core/settings';

export function settingsFor(toolstack: Toolstack): Settings {
  return { ...defaultSettings, domain: { toolstack } };
}

/** The diagnostics of a text, their messages as plain strings. */
export function diags(text: string, toolstack: Toolstack = 'auto') {
  const s = settingsFor(toolstack);
  return domainService
    .diagnostics(domainService.parse(text, s), s)
    .map((d) => ({ ...d, message: typeof d.message === 'string' ? d.message : d.message.value }));
}

export const codes = (text: string, toolstack: Toolstack = 'auto') => diags(text, toolstack).map((d) => String(d.code));
export const errors = (text: string, toolstack: Toolstack = 'auto') => diags(text, toolstack).filter((d) => d.severity === 1);

/** The article's guest: routed, one vif with the guest's address. */
export const ARTICLE = ["name = 'vm1'", 'memory = 256', "vif = [ 'ip=80.68.86.194' ]", ''].join('\n');
