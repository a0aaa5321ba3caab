// The network rules every layer shares, each written once: what a routed subnet is (the setting
// xen.network.routedSubnet, the CLI's --subnet, the generators' block), the gateway interface's
// default, what an interface name may be, and which interfaces need the dummy kernel module.
// Each check returns the reason in plain words when a value cannot be used, else undefined.
import { ipv4Subnet, parseIPv4Cidr, type IPv4Subnet } from './address';

/** The interface holding the guests' gateway when nothing says otherwise (the article's host). */
export const DEFAULT_GATEWAY_INTERFACE = 'dummy0';

/** The kernel module that creates dummy interfaces. */
export const DUMMY_MODULE = 'dummy';

/** Longest text read as a subnet (an address/prefix is at most 18 characters). */
const MAX_SUBNET_TEXT = 64;

/** The smallest prefix a block routed to one host has (larger blocks are a typing mistake). */
const MIN_ROUTED_PREFIX = 8;

/**
 * The routed subnet as written (`80.68.86.192/29`), read: the block, or the reason it is not one.
 * A block is an IPv4 address/prefix that starts the block (its network address), from /8 to /30
 * (a /31 or /32 leaves no address for a guest once the gateway has one).
 */
export function readRoutedSubnet(value: unknown): { subnet: IPv4Subnet; cidr: string } | { problem: string } {
  if (typeof value !== 'string' || value.trim() === '') return { problem: 'Give the routed block as address/prefix, e.g. 80.68.86.192/29.' };
  const t = value.trim();
  const c = t.length <= MAX_SUBNET_TEXT ? parseIPv4Cidr(t) : undefined;
  if (!c) return { problem: `'${short(t)}' is not an IPv4 subnet: write it as address/prefix, e.g. 80.68.86.192/29.` };
  if (c.prefix === undefined) return { problem: `'${t}' has no prefix length: add /NN for the size of the block, e.g. ${t}/29.` };
  if (c.prefix === 32) {
    return {
      problem: `A /32 is a single address: the host would keep it as the guests' gateway and no address would be left for a guest. Use /30 or larger (a /29 gives the gateway and five guests).`,
    };
  }
  if (c.prefix === 31) {
    return {
      problem: `A /31 holds two addresses with no network or broadcast address (a point-to-point link, RFC 3021): the gateway takes one, ifupdown gives the stanza no proper broadcast, and at most one guest fits. Use /30 or larger (a /29 gives the gateway and five guests).`,
    };
  }
  if (c.prefix < MIN_ROUTED_PREFIX)
    return { problem: `/${c.prefix} is far larger than a block routed to one host; give the block the provider routed to you (usually /24 to /30).` };
  const s = ipv4Subnet(c.address, c.prefix);
  if (s.network !== c.address)
    return { problem: `${t} is not the start of a block: a /${c.prefix} containing ${c.address} starts at ${s.network}. Write ${s.network}/${c.prefix}.` };
  return { subnet: s, cidr: `${s.network}/${s.prefix}` };
}

/** The reason a routed subnet cannot be used, or undefined when it can. */
export function routedSubnetProblem(value: unknown): string | undefined {
  const r = readRoutedSubnet(value);
  return 'problem' in r ? r.problem : undefined;
}

/**
 * The pattern package.json gives `xen.network.routedSubnet` (what the settings editor can check
 * before the server reads the value): empty, or address/prefix with a prefix from 8 to 30. The
 * server's rule (readRoutedSubnet) adds the octet range and the start of the block.
 */
export const ROUTED_SUBNET_SETTING_PATTERN = '^$|^\\s*\\d{1,3}(\\.\\d{1,3}){3}/([89]|[12]\\d|30)\\s*$';

/**
 * The reason a text is not a Linux interface name (what the kernel accepts and what the
 * interfaces file holds as one word), or undefined when it is one: 1 to 15 characters of letters,
 * digits and `_ . @ + -`, not `.` or `..`.
 */
export function interfaceNameProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return `Give an interface name, e.g. ${DEFAULT_GATEWAY_INTERFACE}.`;
  const t = value.trim();
  if (t.length > 15) return `'${short(t)}' is too long: Linux interface names have at most 15 characters.`;
  if (t === '.' || t === '..') return `'${t}' cannot be an interface name.`;
  if (/[\s/:]/.test(t)) return `'${t}' cannot be an interface name: spaces, '/' and ':' are not allowed in one.`;
  if (!/^[A-Za-z0-9_.@+-]+$/.test(t)) return `'${t}' has characters that do not belong in an interface name: use letters, digits, '-', '_' and '.'.`;
  return undefined;
}

/** The reason a text cannot name the interface holding the guests' gateway (an interface name, not the loopback). */
export function gatewayInterfaceProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return `Give the interface that holds the guests' gateway, e.g. ${DEFAULT_GATEWAY_INTERFACE}.`;
  const p = interfaceNameProblem(value);
  if (p) return p;
  if (value.trim() === 'lo') return `lo is the loopback interface; the guests' gateway needs an interface of its own such as ${DEFAULT_GATEWAY_INTERFACE}.`;
  return undefined;
}

/**
 * The kernel module an interface needs loaded before ifup can bring it up: `dummy` for the dummy
 * interfaces (`dummy`, `dummy0`, `dummy12`: the names the dummy module creates), else undefined.
 */
export function moduleOfInterface(name: string): string | undefined {
  return isDummyInterface(name) ? DUMMY_MODULE : undefined;
}

/** Whether an interface name is one the dummy module creates (`dummy` followed by digits, if any). */
export function isDummyInterface(name: string): boolean {
  if (!name.startsWith(DUMMY_MODULE)) return false;
  for (let i = DUMMY_MODULE.length; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function short(t: string): string {
  return t.length > 40 ? t.slice(0, 40) + '…' : t;
}
