// Building a host from file texts keyed by path, and reading its diagnostics back.
import type { Diagnostic } from 'vscode-languageserver-types';
import { buildHost, type BuildOptions, type HostModel } from '../../../server/src/host/model';
import { checkHost } from '../../../server/src/host/checks';

export const ROOT = 'file:///ws/host1';

export const INTERFACES = `auto lo
iface lo inet loopback

auto eth0
iface eth0 inet static
    address 80.68.80.24
    netmask 255.255.255.0
    gateway 80.68.80.1

auto dummy0
iface dummy0 inet static
    address 80.68.86.193
    netmask 255.255.255.248
    broadcast 80.68.86.199
`;
export const XEND = `(network-script network-route)
(vif-script 'vif-route netdev=dummy0')
`;
export const MODULES = 'loop\ndummy\n';
export const vm = (name: string, vif: string) => `name = "${name}"\nmemory = 128\nvif = [ ${vif} ]\n`;

/** The article's correct host. */
export function article(): Record<string, string> {
  return {
    'etc/network/interfaces': INTERFACES,
    'etc/xen/xend-config.sxp': XEND,
    'etc/modules': MODULES,
    'etc/xen/vm1.cfg': vm('vm1', "'ip=80.68.86.194'"),
  };
}

export function host(files: Record<string, string>, options: BuildOptions = {}): HostModel {
  return buildHost(
    Object.entries(files).map(([path, text]) => ({ uri: `${ROOT}/${path}`, languageId: '', text })),
    options,
  );
}

export interface Found {
  file: string;
  code: string;
  text: string;
  d: Diagnostic;
}

/** Every diagnostic as {file (path under the root), code, the text it covers}. */
export function check(files: Record<string, string>, options: BuildOptions = {}): Found[] {
  const model = host(files, options);
  const out: Found[] = [];
  for (const [uri, ds] of checkHost(model)) {
    const file = uri.slice(ROOT.length + 1);
    const lines = model.files.get(uri)!.lines;
    for (const d of ds) out.push({ file, code: String(d.code), text: lines.text.slice(lines.offsetAt(d.range.start), lines.offsetAt(d.range.end)), d });
  }
  return out;
}

export const codes = (files: Record<string, string>, options: BuildOptions = {}) => check(files, options).map((f) => `${f.file}: ${f.code} ${f.text}`);
