// Agreement with readers nobody on this project wrote. For every corpus file and variants of the
// article's file:
//  - Debian ifupdown 0.8 (`ifquery --list -a`, then `ifup --no-act` for each iface, as
//    ../shared/oracles/validate.sh does) against our verdict with dialect ifupdown: any diagnostic
//    whose code is in STRUCTURAL_CODES;
//  - Augeas's Interfaces lens against the same verdict with the dialect of the file's corpus folder
//    (ifupdown for the article's variants).
// Every disagreement must be a row of the divergence table in docs/parsers/interfaces.md, and every
// row must still be a disagreement.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { oraclesInstalled, repoRoot } from '../../support/paths';
import { augeasVerdicts, type Verdict } from '../../support/oracles';
import { STRUCTURAL_CODES } from '../../../server/src/formats/interfaces/checks';
import { codes } from './helpers';
import { oracleCases, type OracleCase } from './oracle-cases';
import { requirement } from '../../support/requirements';

type Oracle = 'ifupdown' | 'augeas';
interface Row {
  oracle: Oracle;
  theirs: Verdict;
  ours: Verdict;
  reason: string;
}

/** The divergence table of docs/parsers/interfaces.md: `| \`case\` | oracle | theirs | ours | reason |`. */
export function documentedDivergences(): Map<string, Row> {
  const doc = readFileSync(join(repoRoot, 'docs', 'parsers', 'interfaces.md'), 'utf8');
  const rows = new Map<string, Row>();
  for (const line of doc.split('\n')) {
    const m = /^\|\s*`([^`]+)`\s*\|\s*(ifupdown|augeas)\s*\|\s*(accepts|rejects)\s*\|\s*(accepts|rejects)\s*\|\s*(.+?)\s*\|\s*$/.exec(line);
    if (m) rows.set(`${m[2]} ${m[1]}`, { oracle: m[2] as Oracle, theirs: m[3] as Verdict, ours: m[4] as Verdict, reason: m[5] });
  }
  return rows;
}

function run(cmd: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (err) => resolve(err ? (typeof err.code === 'number' ? err.code : 1) : 0));
  });
}

/** ifupdown's verdict: the file is read (`ifquery --list -a`) and every iface could be brought up (`ifup --no-act`). */
async function ifupdownVerdict(file: string, text: string, stateDir: string): Promise<Verdict> {
  if ((await run('ifquery', ['--state-dir', stateDir, '-i', file, '--list', '-a'])) !== 0) return 'rejects';
  const names = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    const w = line.trim().split(/\s+/);
    if (w[0] === 'iface' && w[1]) names.add(w[1]);
  }
  for (const n of names) {
    const rc = await run('unshare', ['-n', 'ifup', '--no-act', '--no-mappings', '--no-scripts', '--force', '--state-dir', stateDir, '-i', file, n]);
    if (rc !== 0) return 'rejects';
  }
  return 'accepts';
}

async function pool<T, R>(items: T[], width: number, f: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await f(items[i]);
      }
    }),
  );
  return out;
}

export const ourIfupdownVerdict = (c: OracleCase): Verdict => (codes(c.text, 'ifupdown').some((x) => STRUCTURAL_CODES.has(x)) ? 'rejects' : 'accepts');
export const ourDialectVerdict = (c: OracleCase): Verdict => (codes(c.text, c.dialect).some((x) => STRUCTURAL_CODES.has(x)) ? 'rejects' : 'accepts');

const oracles = requirement(oraclesInstalled() ? null : 'the oracles are not installed (../shared/oracles/setup.sh)', 'SKIP_ORACLES');
test(
  'our verdicts agree with Debian ifupdown and Augeas on the corpus and the article variants, or the divergence is documented',
  { timeout: 15 * 60_000, skip: oracles.skip },
  async () => {
    oracles.check();
    const cases = oracleCases();
    const dir = mkdtempSync(join(tmpdir(), 'interfaces-oracle-'));
    try {
      const files = new Map<string, string>();
      const paths = cases.map((c, i) => {
        const p = join(dir, `case${i}.interfaces`);
        writeFileSync(p, c.text, 'latin1');
        files.set(p, c.id);
        return p;
      });
      const augeas = augeasVerdicts('Interfaces', files);
      const ifupdown = await pool(
        cases.map((c, i) => [c, i] as const),
        2,
        async ([c, i]) => {
          const st = mkdtempSync(join(dir, 'state-'));
          return ifupdownVerdict(paths[i], c.text, st);
        },
      );
      const documented = documentedDivergences();
      const found = new Map<string, Row>();
      cases.forEach((c, i) => {
        const a: [Oracle, Verdict, Verdict][] = [
          ['ifupdown', ifupdown[i], ourIfupdownVerdict(c)],
          ['augeas', augeas.get(c.id)!, ourDialectVerdict(c)],
        ];
        for (const [oracle, theirs, ours] of a) if (theirs !== ours) found.set(`${oracle} ${c.id}`, { oracle, theirs, ours, reason: '' });
      });
      const undocumented = [...found]
        .filter(([k]) => !documented.has(k))
        .map(([k, r]) => `| \`${k.split(' ')[1]}\` | ${r.oracle} | ${r.theirs} | ${r.ours} | ? |`);
      assert.deepEqual(undocumented, [], 'divergences not listed in docs/parsers/interfaces.md');
      for (const [k, r] of found) {
        const row = documented.get(k)!;
        assert.deepEqual([row.theirs, row.ours], [r.theirs, r.ours], `docs/parsers/interfaces.md has the wrong verdicts for ${k}`);
      }
      const stale = [...documented.keys()].filter((k) => !found.has(k));
      assert.deepEqual(stale, [], 'rows of docs/parsers/interfaces.md that no longer diverge (or name no case)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
