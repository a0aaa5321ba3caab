// Whole processes, timed in pairs: ours (the built CLI, server/bin/xen-net-check, reading the file
// and printing, Node's start-up included) against a peer (Augeas, ifquery, libxlutil, `node -e 0`),
// run alternately in the same minutes so that the load of the machine falls on both alike.
import { join } from 'node:path';
import { describeRun, runWhole, type WholeRun } from './oracles';

export interface Command {
  name: string;
  cmd: string;
  args: string[];
  /**
   * What is wrong with a run that exited well but did not do the work (our CLI skips a file it
   * will not read and says so on stderr); undefined when the run did it.
   */
  verify?: (stderr: string) => string | undefined;
}

export interface Sample {
  name: string;
  ms: number[];
  rssKB: number[];
  /** What the last run did: 'accepted', 'rejected (exit 1)', 'timeout'... */
  outcome: string;
  timedOut: boolean;
  detail: string;
}

export interface Stats {
  min: number;
  median: number;
  max: number;
  /** Peak RSS over the runs, MiB (NaN without /usr/bin/time). */
  peakMiB: number;
}

function median(xs: number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function stats(s: Sample): Stats {
  return {
    min: s.ms.length ? Math.min(...s.ms) : NaN,
    median: median(s.ms),
    max: s.ms.length ? Math.max(...s.ms) : NaN,
    peakMiB: s.rssKB.length ? Math.max(...s.rssKB) / 1024 : NaN,
  };
}

/**
 * One warm-up run of each (page cache, not counted), then pairs, the order swapped every pair
 * (a b, b a, a b...). Pairs: 3 when a warm-up run took over 4 s, 5 over 1 s, else 9 (or `pairs`).
 * A run that times out ends the pairs; its command is reported as timed out.
 */
export async function alternate(a: Command, b: Command, tmp: string, opts: { timeoutMs: number; pairs?: number }): Promise<[Sample, Sample]> {
  const rssFile = join(tmp, 'time-rss');
  const sa: Sample = { name: a.name, ms: [], rssKB: [], outcome: '', timedOut: false, detail: '' };
  const sb: Sample = { name: b.name, ms: [], rssKB: [], outcome: '', timedOut: false, detail: '' };
  const one = async (c: Command, s: Sample, keep: boolean): Promise<WholeRun> => {
    const r = await runWhole(c.cmd, c.args, opts.timeoutMs, rssFile);
    s.outcome = describeRun(r);
    const problem = !r.timedOut && c.verify ? c.verify(r.stderr) : undefined;
    if (problem) s.outcome = problem;
    s.timedOut = r.timedOut;
    if (r.code !== 0) s.detail = r.stderr.trim().split('\n').filter(Boolean).slice(-1)[0]?.slice(0, 160) ?? '';
    if (keep && !r.timedOut) {
      s.ms.push(r.ms);
      if (Number.isFinite(r.rssKB)) s.rssKB.push(r.rssKB);
    }
    return r;
  };
  const wa = await one(a, sa, false);
  const wb = await one(b, sb, false);
  if (wa.timedOut || wb.timedOut) {
    // (the warm-up run is then the only figure there is)
    if (!wa.timedOut) sa.ms.push(wa.ms);
    if (!wb.timedOut) sb.ms.push(wb.ms);
    return [sa, sb];
  }
  const longest = Math.max(wa.ms, wb.ms);
  const pairs = opts.pairs ?? (longest > 4000 ? 3 : longest > 1000 ? 5 : 9);
  for (let i = 0; i < pairs; i++) {
    const order: [Command, Sample][] =
      i % 2 === 0
        ? [
            [a, sa],
            [b, sb],
          ]
        : [
            [b, sb],
            [a, sa],
          ];
    for (const [c, s] of order) {
      const r = await one(c, s, true);
      if (r.timedOut) return [sa, sb];
    }
  }
  return [sa, sb];
}
