// The server's settings, as declared in package.json under "xen.*". Every field has a default,
// so the core never depends on a client sending configuration.
import { parseIPv4Cidr } from './address';

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
}

export const defaultSettings: Settings = {
  interfaces: { dialect: 'auto' },
  domain: { toolstack: 'auto' },
  network: { routedSubnet: '', gatewayInterface: 'dummy0' },
  validation: { enable: true, delay: 200 },
};

/** The setting as given when it is an IPv4 address/prefix, else '' (learn the subnet from the files). */
function routedSubnetOf(value: unknown): string {
  if (typeof value !== 'string') return '';
  const t = value.trim();
  const c = t.length <= 64 ? parseIPv4Cidr(t) : undefined;
  return c && c.prefix !== undefined ? t : '';
}

/** An interface name as the kernel takes it (1 to 15 characters, no space or slash), else the default. */
function interfaceNameOf(value: unknown): string {
  if (typeof value !== 'string') return defaultSettings.network.gatewayInterface;
  const t = value.trim();
  return /^[^\s/:]{1,15}$/.test(t) ? t : defaultSettings.network.gatewayInterface;
}

/** Merges a partial, untrusted settings object (from a client) over the defaults. */
export function resolveSettings(raw: unknown): Settings {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- untrusted JSON: every value read is checked below
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
    network: {
      routedSubnet: routedSubnetOf(r.network?.routedSubnet),
      gatewayInterface: interfaceNameOf(r.network?.gatewayInterface),
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
