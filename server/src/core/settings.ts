// The server's settings, as declared in package.json under "xen.*". Every field has a default,
// so the core never depends on a client sending configuration.

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
  validation: {
    enable: boolean;
    /** Milliseconds to wait after the last keystroke before checking. */
    delay: number;
  };
}

export const defaultSettings: Settings = {
  interfaces: { dialect: 'auto' },
  domain: { toolstack: 'auto' },
  validation: { enable: true, delay: 200 },
};

/** Merges a partial, untrusted settings object (from a client) over the defaults. */
export function resolveSettings(raw: unknown): Settings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, any>;
  const pick = <T>(value: unknown, allowed: readonly T[], fallback: T): T =>
    allowed.includes(value as T) ? (value as T) : fallback;
  return {
    interfaces: {
      dialect: pick(r.interfaces?.dialect, ['auto', 'ifupdown', 'ifupdown2', 'ifupdown-ng'] as const, defaultSettings.interfaces.dialect),
    },
    domain: {
      toolstack: pick(r.domain?.toolstack, ['auto', 'xm', 'xl'] as const, defaultSettings.domain.toolstack),
    },
    validation: {
      enable: typeof r.validation?.enable === 'boolean' ? r.validation.enable : defaultSettings.validation.enable,
      delay:
        typeof r.validation?.delay === 'number' && r.validation.delay >= 0 && r.validation.delay <= 10_000
          ? r.validation.delay
          : defaultSettings.validation.delay,
    },
  };
}
