// The answers of the generate commands, checked one by one. Each validator returns a message in
// plain words when the answer cannot be used, else undefined.
import { ipv4ToInt, isIPv4, type IPv4Subnet } from '../core/address';
import { DEFAULT_GATEWAY_INTERFACE, gatewayInterfaceProblem, readRoutedSubnet, routedSubnetProblem } from '../core/network';
import type { RoutedAnswers } from './types';

/** The routed block as written (`80.68.86.192/29`), read; undefined when it is not a usable block. */
export function readBlock(cidr: string | undefined): IPv4Subnet | undefined {
  const r = readRoutedSubnet(cidr);
  return 'subnet' in r ? r.subnet : undefined;
}

/** The routed block: core/network.ts's rule. */
export const validateCidr = routedSubnetProblem;

/** The interface holding the guests' gateway: core/network.ts's rule. */
export const validateInterfaceName = gatewayInterfaceProblem;

/** The gateway's address: inside the block, neither its network nor its broadcast address. */
export function validateGatewayAddress(value: unknown, cidr: string | undefined): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return "Give the gateway's address, e.g. the block's first usable address.";
  const t = value.trim();
  if (!isIPv4(t)) return `'${short(t)}' is not an IPv4 address (four numbers 0-255 joined by dots).`;
  const s = readBlock(cidr);
  if (!s) return undefined; // the block itself is reported on its own field
  const a = ipv4ToInt(t);
  if (a < ipv4ToInt(s.network) || a > ipv4ToInt(s.broadcast))
    return `${t} is outside ${s.network}/${s.prefix} (${s.network} to ${s.broadcast}): the guests' gateway must be an address of the routed block.`;
  if (t === s.network)
    return `${t} is the network address of ${s.network}/${s.prefix}; an interface cannot hold it. Use an address from ${s.firstUsable} to ${s.lastUsable}.`;
  if (t === s.broadcast)
    return `${t} is the broadcast address of ${s.network}/${s.prefix}; an interface cannot hold it. Use an address from ${s.firstUsable} to ${s.lastUsable}.`;
  return undefined;
}

/**
 * A domain name xl and xm both take, that also makes a file name etc/xen/NAME.cfg: letters,
 * digits, `-`, `_` and `.`, starting with a letter or digit, not all digits (xl reads a number as
 * a domain id), at most 64 characters.
 */
export function validateGuestName(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return 'A guest needs a name.';
  const t = value.trim();
  if (t.length > 64) return `'${short(t)}' is too long for a guest name (64 characters at most).`;
  if (/^\d+$/.test(t)) return `'${t}' is all digits: xl would read it as a domain id. Start the name with a letter, e.g. vm${t}.`;
  if (/^domain-0$/i.test(t)) return 'Domain-0 is the name of dom0 itself; pick another name.';
  if (!/^[A-Za-z0-9]/.test(t)) return `'${short(t)}' must start with a letter or a digit.`;
  if (!/^[A-Za-z0-9._-]+$/.test(t))
    return `'${short(t)}' has characters a guest name (and its file name ${'etc/xen/NAME.cfg'}) should not have: use letters, digits, '-', '_' and '.'.`;
  return undefined;
}

/**
 * The guest names as a whole: each valid, no name twice, and not more guests than the block has
 * addresses left. `free` is the number of addresses free for them (after the gateway and the
 * addresses other guests keep); unknown when undefined.
 */
export function validateGuestNames(value: unknown, free?: number): string | undefined {
  if (!Array.isArray(value)) return 'Give the guests as a list of names.';
  const seen = new Set<string>();
  for (const v of value) {
    const m = validateGuestName(v);
    if (m) return m;
    const k = String(v).trim();
    if (seen.has(k)) return `'${k}' is given twice: each guest needs a name of its own.`;
    seen.add(k);
  }
  if (free !== undefined && value.length > free) {
    return `${value.length} guests but only ${free} free address${free === 1 ? '' : 'es'} in the block: use a larger block or fewer guests.`;
  }
  return undefined;
}

export function validateToolstack(value: unknown): string | undefined {
  return value === 'xend' || value === 'xl' ? undefined : "The toolstack is 'xend' (xend with xm) or 'xl'.";
}

/** The number of addresses a new block leaves for guests after the gateway. */
export function guestCapacity(cidr: string | undefined): number | undefined {
  const s = readBlock(cidr);
  return s ? Math.max(0, s.usableCount - 1) : undefined;
}

export type AnswerField = 'cidr' | 'gatewayInterface' | 'gatewayAddress' | 'toolstack' | 'guests' | 'guest';

/**
 * One answer checked in the light of the others (`answers` may be partial). `free` overrides the
 * number of addresses left for the guests (the server counts the host's existing guests).
 */
export function validateField(field: string, value: unknown, answers: Partial<RoutedAnswers> = {}, free?: number): string | undefined {
  switch (field) {
    case 'cidr':
      return validateCidr(value);
    case 'gatewayInterface':
      return validateInterfaceName(value);
    case 'gatewayAddress':
      return validateGatewayAddress(value, answers.cidr);
    case 'toolstack':
      return validateToolstack(value);
    case 'guests':
      return validateGuestNames(value, free ?? guestCapacity(answers.cidr));
    case 'guest':
      return validateGuestName(value);
  }
  return `Unknown field '${short(String(field))}'.`;
}

/** Every answer checked; the first problem with its field. */
export function validateAnswers(a: Partial<RoutedAnswers> | undefined, free?: number): { field: AnswerField; message: string } | undefined {
  const answers = a && typeof a === 'object' ? a : {};
  const fields: [AnswerField, unknown][] = [
    ['cidr', answers.cidr],
    ['gatewayInterface', answers.gatewayInterface ?? DEFAULT_GATEWAY_INTERFACE],
    ['gatewayAddress', answers.gatewayAddress ?? readBlock(answers.cidr)?.firstUsable ?? ''],
    ['toolstack', answers.toolstack],
    ['guests', answers.guests ?? []],
  ];
  for (const [field, value] of fields) {
    const message = validateField(field, value, answers, free);
    if (message) return { field, message };
  }
  return undefined;
}

function short(t: string): string {
  return t.length > 40 ? t.slice(0, 40) + '…' : t;
}
