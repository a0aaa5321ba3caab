// The cases compared with the real readers of /etc/network/interfaces (Debian ifupdown's
// ifquery/ifup, and Augeas's Interfaces lens): every corpus file, and variants of the article's file.
import { readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { InterfacesDialect } from '../../../server/src/core/settings';
import { corpusDir, listFiles } from '../../support/paths';
import { ARTICLE } from './helpers';

export interface OracleCase {
  id: string;
  text: string;
  /** The dialect the file is written for (the corpus folder), for the syntax verdict. */
  dialect: InterfacesDialect;
}

const FOLDER_DIALECT: Record<string, InterfacesDialect> = {
  'debian-ifupdown': 'ifupdown',
  ifupdown2: 'ifupdown2',
  'ifupdown-ng': 'ifupdown-ng',
  augeas: 'auto',
};

/** Every interfaces file of the corpus (the expected/ outputs of ifupdown's test suite are not interfaces files). */
export function interfacesCorpus(): { id: string; path: string; dialect: InterfacesDialect }[] {
  const root = join(corpusDir, 'interfaces');
  return listFiles(root)
    .filter((p) => !p.includes('/expected/'))
    .map((p) => {
      const id = relative(root, p);
      return { id, path: p, dialect: FOLDER_DIALECT[id.split('/')[0]] ?? 'auto' };
    });
}

const replace = (from: string, to: string) => (t: string) => {
  if (!t.includes(from)) throw new Error(`variant source text missing: ${from}`);
  return t.replace(from, to);
};
const append = (s: string) => (t: string) => t + s;

/** Variants of the article's file: some broken, some that only one reader dislikes. */
export const ARTICLE_VARIANTS: [string, (t: string) => string][] = [
  ['unknown-method', replace('iface dummy0 inet static', 'iface dummy0 inet statik')],
  ['unknown-family', replace('iface dummy0 inet static', 'iface dummy0 inet4 static')],
  ['option-before-stanza', (t) => 'address 80.68.86.193\n' + t],
  ['option-after-auto', append('auto eth1\n    mtu 1500\niface eth1 inet manual\n')],
  ['auto-without-iface', append('auto eth9\n')],
  ['allow-hotplug-without-iface', append('allow-hotplug eth9\n')],
  ['iface-without-family', append('iface eth1\n')],
  ['iface-without-name', append('iface\n')],
  ['missing-method', append('iface eth1 inet\n')],
  ['static-without-address', replace('    address 80.68.86.193\n', '')],
  ['bad-netmask', replace('255.255.255.248', '255.255.255.999')],
  ['noncontiguous-netmask', replace('255.255.255.248', '255.255.0.248')],
  ['bad-address', replace('address 80.68.86.193', 'address 80.68.86.300')],
  ['address-cidr', replace('    address 80.68.86.193\n    netmask 255.255.255.248\n', '    address 80.68.86.193/29\n')],
  ['duplicate-iface', append('iface dummy0 inet static\n    address 80.68.86.194\n')],
  ['duplicate-address-line', append('    address 80.68.86.194\n')],
  ['empty-option-value', append('    mtu\n')],
  ['unknown-option', append('    frobnicate 1\n')],
  ['inherits-missing', append('iface eth1 inet static inherits nosuch\n    address 10.0.0.1\n')],
  ['inherits-existing', append('iface eth1 inet static inherits dummy0\n')],
  ['inherits-without-name', append('iface eth1 inet manual inherits\n')],
  ['extra-words-on-iface', replace('iface dummy0 inet static', 'iface dummy0 inet static # routed block')],
  ['trailing-backslash-last-line', (t) => t + '    mtu 1500 \\'],
  ['continuation', replace('    broadcast 80.68.86.199', '    broadcast \\\n        80.68.86.199')],
  ['hash-in-value', append('    up echo routed#block\n')],
  ['indented-comment', append('    # an indented comment\n')],
  ['no-scripts', append('no-scripts dummy0\n')],
  ['no-auto-down', append('no-auto-down eth0\n')],
  ['rename', append('rename eth2=lan\n')],
  ['rename-without-equals', append('rename eth2\n')],
  ['source-missing-file', append('source /nonexistent/interfaces.d/*\n')],
  ['source-directory', append('source-directory /nonexistent/interfaces.d\n')],
  ['mapping', append('mapping eth3\n    script /bin/true\n    map home eth3-home\n')],
  ['mapping-with-iface-option', append('mapping eth3\n    script /bin/true\n    address 1.2.3.4\n')],
  ['empty-auto', append('auto\n')],
  ['inet6-static', append('iface dummy0 inet6 static\n    address 2001:db8::1\n    netmask 64\n')],
  ['crlf', (t) => t.replace(/\n/g, '\r\n')],
  ['bom', (t) => '\uFEFF' + t],
  ['tab-indented', (t) => t.replace(/^ {4}/gm, '\t')],
  ['no-final-newline', (t) => t.replace(/\n$/, '')],
  ['mako-template', append('%for i in range(2):\nauto eth${i}\n%endfor\n')],
];

export function oracleCases(): OracleCase[] {
  const cases: OracleCase[] = [];
  for (const f of interfacesCorpus()) cases.push({ id: f.id, text: readFileSync(f.path, 'latin1'), dialect: f.dialect });
  cases.push({ id: 'article', text: ARTICLE, dialect: 'ifupdown' });
  for (const [v, f] of ARTICLE_VARIANTS) cases.push({ id: `article#${v}`, text: f(ARTICLE), dialect: 'ifupdown' });
  return cases;
}

export { basename };
