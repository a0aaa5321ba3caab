// Address math shared by every format: parsing IPv4 and IPv6 addresses (with ip-address),
// dotted netmasks and their prefix, and the facts of a subnet.
import { Address6 } from 'ip-address';

const DOTTED_QUAD = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/**
 * True for a dotted quad of four decimal octets 0..255 (no leading zeros or '+', no empty parts).
 * The pattern is the whole rule, and it runs on every address of a file at each keystroke, so
 * no object is built here (ip-address's parser costs some 20 times more).
 */
export function isIPv4(text: string): boolean {
  return DOTTED_QUAD.test(text);
}

/** True for an IPv6 address in any of its textual forms (with `::`, an embedded IPv4, a zone). */
export function isIPv6(text: string): boolean {
  if (!text.includes(':') || text.includes('/')) return false;
  return Address6.isValid(text);
}

/** `a.b.c.d/nn` or `a.b.c.d` (prefix undefined). Undefined when not an IPv4 address. */
export function parseIPv4Cidr(text: string): { address: string; prefix?: number } | undefined {
  const m = /^([^/]+)(?:\/(\d{1,2}))?$/.exec(text);
  if (!m || !isIPv4(m[1])) return undefined;
  if (m[2] === undefined) return { address: m[1] };
  const prefix = Number(m[2]);
  return prefix <= 32 ? { address: m[1], prefix } : undefined;
}

/** `addr/nn` or `addr` for IPv6 (prefix 0..128). */
export function parseIPv6Cidr(text: string): { address: string; prefix?: number } | undefined {
  const m = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(text);
  if (!m || !isIPv6(m[1])) return undefined;
  if (m[2] === undefined) return { address: m[1] };
  const prefix = Number(m[2]);
  return prefix <= 128 ? { address: m[1], prefix } : undefined;
}

export function ipv4ToInt(address: string): number {
  return address.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
}

export function intToIPv4(n: number): string {
  n = n >>> 0;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** The prefix length of a dotted netmask, or undefined when its one-bits are not contiguous. */
export function netmaskToPrefix(mask: string): number | undefined {
  if (!isIPv4(mask)) return undefined;
  const n = ipv4ToInt(mask);
  const inverted = ~n >>> 0;
  // contiguous ones then zeros: the inverted mask plus one is a power of two
  if ((inverted & (inverted + 1)) !== 0) return undefined;
  let prefix = 0;
  for (let bit = 31; bit >= 0 && (n >>> bit) & 1; bit--) prefix++;
  return prefix;
}

export function prefixToNetmask(prefix: number): string {
  if (prefix <= 0) return '0.0.0.0';
  return intToIPv4(prefix >= 32 ? 0xffffffff : (0xffffffff << (32 - prefix)) >>> 0);
}

export interface IPv4Subnet {
  prefix: number;
  network: string;
  broadcast: string;
  netmask: string;
  /** First and last addresses a host may hold (for /31 and /32: every address, as RFC 3021 and ifupdown have it). */
  firstUsable: string;
  lastUsable: string;
  usableCount: number;
}

export function ipv4Subnet(address: string, prefix: number): IPv4Subnet {
  const a = ipv4ToInt(address);
  const size = 2 ** (32 - prefix);
  const network = a - (a % size);
  const broadcast = network + size - 1;
  const pointToPoint = prefix >= 31;
  return {
    prefix,
    network: intToIPv4(network),
    broadcast: intToIPv4(broadcast),
    netmask: prefixToNetmask(prefix),
    firstUsable: intToIPv4(pointToPoint ? network : network + 1),
    lastUsable: intToIPv4(pointToPoint ? broadcast : broadcast - 1),
    usableCount: pointToPoint ? size : size - 2,
  };
}

/** A colon-separated MAC address of six hexadecimal octets (one or two digits each, as xl accepts). */
export function isMac(text: string): boolean {
  return /^[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2}){5}$/.test(text);
}
