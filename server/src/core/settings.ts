// The server's settings, as declared in package.json under "xen.*". Every field has a default,
// so the core never depends on a client sending configuration.
import { DEFAULT_GATEWAY_INTERFACE, gatewayInterfaceProblem, readRoutedSubnet } from './network';

export type InterfacesDialect = 'auto' | 'ifupdown' | 'ifupdown2' | 'ifupdown-ng';
export type Toolstack = 'auto' | 'xm' | 'xl';

export interface Settings {
  interfaces: {
    /** Which implementation reads the file; 'auto' accepts every dialect and says which one an option needs. */
    dialect: InterfacesDialect;
  };
  domain: {
    /** Which toolstack reads domain files; 'auto' guesses xm for files that use Python. */
    toolstack: Toolstack;
  };
  network: {
    /** `xen.network.routedSubnet`: the block routed to the host (`80.68.86.192/29`), or '' to learn it from the files. */
    routedSubnet: string;
    /** `xen.network.gatewayInterface`: the interface holding the guests' gateway. */
    gatewayInterface: string;
  };
  validation: {
    enable: boolean;
    /** Milliseconds to wait after the last keystroke before checking. */
    delay: number;
  };
  /**
   * The values given that could not be used (the default stands in their place), each with its
   * reason; empty when every value was usable. The server shows them to the user.
   */
  problems: SettingProblem[];
}

export interface SettingProblem {
  /** The setting's full name, e.g. `xen.network.routedSubnet`. */
  setting: string;
  /** Why the value given is not used, in plain words. */
  message: string;
}

export const defaultSettings: Settings = {
  interfaces: { dialect: 'auto' },
  domain: { toolstack: 'auto' },
  network: { routedSubnet: '', gatewayInterface: DEFAULT_GATEWAY_INTERFACE },
  validation: { enable: true, delay: 200 },
  problems: [],
};

/**
 * Merges a partial, untrusted settings object (from a client) over the defaults. A value given
 * that cannot be used is replaced by its default and kept in `problems` with the reason.
 */
export function resolveSettings(raw: unknown): Settings {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- untrusted JSON: every value read is checked below
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, any>;
  const problems: SettingProblem[] = [];
  const pick = <T>(setting: string, value: unknown, allowed: readonly T[], fallback: T): T => {
    if (allowed.includes(value as T)) return value as T;
    if (value !== undefined && value !== null) {
      problems.push({ setting, message: `${shown(value)} is not one of ${allowed.map((a) => `'${String(a)}'`).join(', ')}; '${String(fallback)}' is used.` });
    }
    return fallback;
  };
  /** The routed subnet given, normalised (`80.68.86.192/29`), or '' (learn it from the files). */
  const routedSubnet = (value: unknown): string => {
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return '';
    const s = readRoutedSubnet(value);
    if ('cidr' in s) return s.cidr;
    problems.push({ setting: 'xen.network.routedSubnet', message: `${s.problem} The routed subnet is learnt from the host's files instead.` });
    return '';
  };
  const gatewayInterface = (value: unknown): string => {
    if (value === undefined || value === null) return defaultSettings.network.gatewayInterface;
    const p = gatewayInterfaceProblem(value);
    if (p === undefined) return String(value).trim();
    problems.push({ setting: 'xen.network.gatewayInterface', message: `${p} ${defaultSettings.network.gatewayInterface} is used instead.` });
    return defaultSettings.network.gatewayInterface;
  };
  const delay = (value: unknown): number => {
    if (typeof value === 'number' && value >= 0 && value <= 10_000) return value;
    if (value !== undefined && value !== null) {
      problems.push({
        setting: 'xen.validation.delay',
        message: `${shown(value)} is not a number of milliseconds from 0 to 10000; ${defaultSettings.validation.delay} is used.`,
      });
    }
    return defaultSettings.validation.delay;
  };
  return {
    interfaces: {
      dialect: pick(
        'xen.interfaces.dialect',
        r.interfaces?.dialect,
        ['auto', 'ifupdown', 'ifupdown2', 'ifupdown-ng'] as const,
        defaultSettings.interfaces.dialect,
      ),
    },
    domain: {
      toolstack: pick('xen.domain.toolstack', r.domain?.toolstack, ['auto', 'xm', 'xl'] as const, defaultSettings.domain.toolstack),
    },
    network: {
      routedSubnet: routedSubnet(r.network?.routedSubnet),
      gatewayInterface: gatewayInterface(r.network?.gatewayInterface),
    },
    validation: {
      enable: typeof r.validation?.enable === 'boolean' ? r.validation.enable : defaultSettings.validation.enable,
      delay: delay(r.validation?.delay),
    },
    problems,
  };
}

/** A value as the user wrote it, shortened, for a message. */
function shown(value: unknown): string {
  let t: string;
  try {
    t = typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value));
  } catch {
    t = String(value);
  }
  return t.length > 60 ? t.slice(0, 60) + '…' : t;
}

/** Distinct problems told at most, per reporter (a client sending ever new bad values is not echoed forever). */
const MAX_TOLD = 100;

/**
 * A function that passes settings through and tells each of their problems once (the same setting
 * with the same reason is told once per reporter, whichever folder's settings carry it), as
 * `xen.network.routedSubnet: <reason>`.
 */
export function settingProblemReporter(tell: (message: string) => void): (settings: Settings) => Settings {
  const told = new Set<string>();
  return (settings) => {
    for (const p of settings.problems) {
      const message = `${p.setting}: ${p.message}`;
      if (told.has(message) || told.size >= MAX_TOLD) continue;
      told.add(message);
      tell(message);
    }
    return settings;
  };
}
