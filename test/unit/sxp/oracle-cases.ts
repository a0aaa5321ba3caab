// The cases compared with Augeas's Xendconfsxp lens: every corpus file, and variants of each.
// Shared by the agreement test (and handy for listing divergences while writing the doc).
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { corpusDir, listFiles } from '../../support/paths';

export interface OracleCase {
  id: string;
  text: string;
}

/** Variants applied to every corpus file: each one should make both readers reject the file. */
const BROKEN: [string, (t: string) => string | undefined][] = [
  ['unclosed-paren', (t) => t + '\n(dom0-cpus 0\n'],
  ['stray-close', (t) => t + '\n)\n'],
  ['unterminated-string', (t) => t + "\n(vncpasswd 'secret)\n"],
  [
    'missing-last-close',
    (t) => {
      // the last ')' outside comments
      const lines = t.split('\n');
      for (let l = lines.length - 1; l >= 0; l--) {
        if (/^\s*#/.test(lines[l])) continue;
        const code = lines[l].replace(/#.*$/, '');
        const i = code.lastIndexOf(')');
        if (i < 0) continue;
        lines[l] = lines[l].slice(0, i) + lines[l].slice(i + 1);
        return lines.join('\n');
      }
      return undefined;
    },
  ],
];

/** Variants of the 4.4.4 example that xend reads fine; Augeas's lens is stricter on some of them. */
const VALID: [string, (t: string) => string][] = [
  [
    'article-routed',
    (t) => t.replace('(network-script network-bridge)', '(network-script network-route)').replace('(vif-script vif-bridge)', '(vif-script vif-route)'),
  ],
  ['script-args-quoted', (t) => t + "(vif-script 'vif-route netdev=dummy0')\n"],
  ['trailing-comment', (t) => t + '(dom0-cpus 0) # every CPU\n'],
  ['indented-comment', (t) => t + '   # an indented note\n'],
  ['empty-list', (t) => t + '()\n'],
  ['two-values', (t) => t + '(network-script network-bridge netdev=eth1)\n'],
  ['crlf', (t) => t.replace(/\n/g, '\r\n')],
  ['no-final-newline-comment', (t) => t + '# last line without a newline'],
  ['regexp-atom', (t) => t + '(xend-relocation-hosts-allow ^localhost$)\n'],
];

export function sxpCorpusFiles(): string[] {
  return listFiles(join(corpusDir, 'xen')).filter((f) => /\.sxp/.test(basename(f)));
}

export function oracleCases(): OracleCase[] {
  const cases: OracleCase[] = [];
  for (const file of sxpCorpusFiles()) {
    const name = basename(file);
    const text = readFileSync(file, 'latin1');
    cases.push({ id: name, text });
    for (const [v, f] of BROKEN) {
      const t = f(text);
      if (t !== undefined) cases.push({ id: `${name}#${v}`, text: t });
    }
    if (name === 'xend-config.sxp.4.4.4') for (const [v, f] of VALID) cases.push({ id: `${name}#${v}`, text: f(text) });
  }
  return cases;
}
