// Address math shared by every format: parsing IPv4 and IPv6 addresses (with ip-address),
// dotted netmasks and their prefix, and the facts of a subnet.
import { Address6 } from 'ip-address';

/**
 * The value of a dotted quad of four decimal octets 0..255 found in text[start, end) (no leading
 * zeros, no sign, no empty parts), or -1. It runs on every address of a file at each keystroke,
 * so it builds nothing: no match array, no split (ip-address's parser costs some 20 times more).
 */
export function dottedQuadValue(text: string, start = 0, end = text.length): number {
  let value = 0;
  let parts = 0;
  let i = start;
  while (parts < 4) {
    const first = i;
    let octet = 0;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      octet = octet * 10 + (c - 48);
      i++;
    }
    const digits = i - first;
    if (digits === 0 || digits > 3 || octet > 255 || (digits > 1 && text.charCodeAt(first) === 48)) return -1;
    value = value * 256 + octet;
    parts++;
    if (parts < 4) {
      if (i >= end || text.charCodeAt(i) !== 46 /* . */) return -1;
      i++;
    }
  }
  return i === end ? value : -1;
}

/** True for a dotted quad of four decimal octets 0..255 (no leading zeros or '+', no empty parts). */
export function isIPv4(text: string): boolean {
  return dottedQuadValue(text) >= 0;
}

/** True for an IPv6 address in any of its textual forms (with `::`, an embedded IPv4, a zone). */
export function isIPv6(text: string): boolean {
  if (text.includes('/')) return false;
  // a zone (`%eth0`) may follow
  let end = text.indexOf('%');
  if (end < 0) end = text.length;
  return ipv6Groups(text, 0, end);
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/**
 * Whether text[start, end) is an IPv6 address as RFC 4291 writes them: eight groups of one to four
 * hexadecimal digits, or fewer around a single `::`, the last two groups possibly a dotted quad.
 * Hand-written for the same reason as dottedQuadValue; test/unit/core/address.test.ts checks it
 * against ip-address on random strings.
 */
function ipv6Groups(text: string, start: number, end: number): boolean {
  let groups = 0;
  let elided = false;
  let i = start;
  if (end - start < 2) return false;
  if (text.charCodeAt(i) === 58 /* : */) {
    if (text.charCodeAt(i + 1) !== 58) return false;
    elided = true;
    i += 2;
    if (i === end) return true;
  }
  for (;;) {
    // one group, or a dotted quad at the end
    const first = i;
    while (i < end && isHex(text.charCodeAt(i))) i++;
    if (i < end && text.charCodeAt(i) === 46 /* . */) {
      if (dottedQuadValue(text, first, end) < 0) return false;
      groups += 2;
      break;
    }
    const digits = i - first;
    if (digits === 0 || digits > 4) return false;
    groups++;
    if (i === end) break;
    if (text.charCodeAt(i) !== 58) return false;
    i++;
    if (i < end && text.charCodeAt(i) === 58) {
      if (elided) return false;
      elided = true;
      i++;
      if (i === end) break;
    } else if (i === end) return false;
  }
  return elided ? groups <= 7 : groups === 8;
}

/** The full (every group, four digits) and the shortest (RFC 5952) forms of an IPv6 address; undefined when it is not one. */
export function ipv6Forms(text: string): { full: string; short: string } | undefined {
  if (!isIPv6(text)) return undefined;
  try {
    const a = new Address6(text);
    const zone = text.includes('%') ? text.slice(text.indexOf('%')) : '';
    return { full: a.canonicalForm() + zone, short: a.correctForm() + zone };
  } catch {
    return undefined;
  }
}

/** `a.b.c.d/nn` or `a.b.c.d` (prefix undefined). Undefined when not an IPv4 address. */
export function parseIPv4Cidr(text: string): { address: string; prefix?: number } | undefined {
  return isIPv4Cidr(text) ? splitCidr(text) : undefined;
}

/** Whether text is `a.b.c.d` or `a.b.c.d/nn` (nn 0..32, one or two digits), without building anything. */
export function isIPv4Cidr(text: string): boolean {
  const slash = text.indexOf('/');
  if (slash < 0) return dottedQuadValue(text) >= 0;
  if (dottedQuadValue(text, 0, slash) < 0) return false;
  const digits = text.length - slash - 1;
  if (digits < 1 || digits > 2) return false;
  let prefix = 0;
  for (let i = slash + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
    prefix = prefix * 10 + (c - 48);
  }
  return prefix <= 32;
}

function splitCidr(text: string): { address: string; prefix?: number } {
  const slash = text.indexOf('/');
  return slash < 0 ? { address: text } : { address: text.slice(0, slash), prefix: Number(text.slice(slash + 1)) };
}

/** `addr/nn` or `addr` for IPv6 (prefix 0..128). */
export function parseIPv6Cidr(text: string): { address: string; prefix?: number } | undefined {
  const m = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(text);
  if (!m || !isIPv6(m[1])) return undefined;
  if (m[2] === undefined) return { address: m[1] };
  const prefix = Number(m[2]);
  return prefix <= 128 ? { address: m[1], prefix } : undefined;
}

/**
 * Whether `parseIPv6Cidr` would read the text (an IPv6 address, optionally `/prefix` of one to
 * three digits up to 128), without making anything: the checks ask it of every `address` line.
 * With `trailingSlash`, a `/` with no prefix after it is allowed too.
 */
export function isIPv6Cidr(text: string, trailingSlash = false): boolean {
  // (with trailingSlash, one `/` at the very end is not part of the text read)
  const end = trailingSlash && text.charCodeAt(text.length - 1) === 47 ? text.length - 1 : text.length;
  const slash = text.indexOf('/');
  if (slash < 0 || slash >= end) return end > 0 && ipv6WithZone(text, 0, end);
  if (slash === 0) return false;
  const digits = end - slash - 1;
  if (digits < 1 || digits > 3) return false;
  let prefix = 0;
  for (let i = slash + 1; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
    prefix = prefix * 10 + (c - 48);
  }
  return prefix <= 128 && ipv6WithZone(text, 0, slash);
}

/** Whether text[start, end) is an IPv6 address, a zone (`%eth0`) possibly after it. */
function ipv6WithZone(text: string, start: number, end: number): boolean {
  const zone = text.indexOf('%', start);
  return ipv6Groups(text, start, zone >= 0 && zone < end ? zone : end);
}

/** The 32-bit value of a dotted quad (read leniently when it is not a canonical one, as before: octet by octet). */
export function ipv4ToInt(address: string): number {
  const v = dottedQuadValue(address);
  return v >= 0 ? v : address.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
}

export function intToIPv4(n: number): string {
  n = n >>> 0;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** The prefix length of a dotted netmask, or undefined when its one-bits are not contiguous. */
export function netmaskToPrefix(mask: string): number | undefined {
  const n = dottedQuadValue(mask);
  if (n < 0) return undefined;
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
