// Shared helpers of the interfaces tests.
import { interfacesService } from '../../../server/src/formats/interfaces/service';
import { defaultSettings, type InterfacesDialect, type Settings } from '../../../server/src/core/settings';

export function settingsFor(dialect: InterfacesDialect): Settings {
  return { ...defaultSettings, interfaces: { dialect } };
}

export function parse(text: string, dialect: InterfacesDialect = 'auto') {
  return interfacesService.parse(text, settingsFor(dialect));
}

export function diags(text: string, dialect: InterfacesDialect = 'auto') {
  const s = settingsFor(dialect);
  return interfacesService.diagnostics(interfacesService.parse(text, s), s);
}

export const codes = (text: string, dialect: InterfacesDialect = 'auto') => diags(text, dialect).map((d) => String(d.code));
export const errors = (text: string, dialect: InterfacesDialect = 'auto') => diags(text, dialect).filter((d) => d.severity === 1);

/** The text a span covers. */
export const at = (text: string, span: { start: number; end: number }) => text.slice(span.start, span.end);

/** The article's host: loopback, the static uplink, and dummy0 with the first address of the routed /29. */
export const ARTICLE = [
  '# The loopback network interface',
  'auto lo',
  'iface lo inet loopback',
  '',
  '# The uplink to the provider',
  'allow-hotplug eth0',
  'iface eth0 inet static',
  '    address 80.68.80.24',
  '    netmask 255.255.255.0',
  '    gateway 80.68.80.1',
  '',
  '# The routed block 80.68.86.192/29: dom0 keeps 80.68.86.193 on a dummy interface',
  'auto dummy0',
  'iface dummy0 inet static',
  '    address 80.68.86.193',
  '    netmask 255.255.255.248',
  '    broadcast 80.68.86.199',
  '',
].join('\n');
