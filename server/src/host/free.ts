// The addresses of the routed subnet that nobody uses yet: usable (not the network or broadcast
// address), not the gateway, not held by an interface or a guest. In address order.
import { intToIPv4, ipv4ToInt, type IPv4Subnet } from '../core/address';
import type { HostModel } from './model';

/**
 * Free addresses of `subnet`, in order, skipping `taken` (dotted addresses). At most `limit`
 * are listed (a /8 has 16 million); `count` is always the full number.
 */
export function freeInSubnet(subnet: IPv4Subnet, taken: Iterable<string>, limit = 256): { addresses: string[]; count: number } {
  const first = ipv4ToInt(subnet.firstUsable);
  const last = ipv4ToInt(subnet.lastUsable);
  const used = new Set<number>();
  for (const t of taken) {
    const n = /^\d+\.\d+\.\d+\.\d+$/.test(t) ? ipv4ToInt(t) : NaN;
    if (n >= first && n <= last) used.add(n);
  }
  const addresses: string[] = [];
  for (let n = first; n <= last && addresses.length < limit; n++) if (!used.has(n)) addresses.push(intToIPv4(n));
  return { addresses, count: last - first + 1 - used.size };
}

/**
 * The free addresses of the host's routed subnet. An address counts as used when an interface
 * holds it, it is the gateway, or a guest's vif or xm `ip` names it (an interface's `gateway`
 * option or a broadcast does not take an address). Empty when the subnet is unknown.
 * `except` leaves out one file's uses (to offer a guest its own address back).
 */
export function freeAddresses(model: HostModel, options: { limit?: number; except?: string } = {}): { addresses: string[]; count: number } {
  if (!model.subnet) return { addresses: [], count: 0 };
  const taken: string[] = [];
  if (model.gateway) taken.push(model.gateway.address);
  for (const [address, uses] of model.addresses) {
    if (uses.some((u) => u.uri !== options.except && (u.role === 'interface-address' || u.role === 'guest-vif' || u.role === 'guest-ip'))) taken.push(address);
  }
  return freeInSubnet(model.subnet, taken, options.limit);
}
