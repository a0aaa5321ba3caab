// Running the real parsers (the oracles of ../shared/oracles) on the benchmark's files and timing them.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { oraclesBin, oraclesDir } from '../support/paths';

export type ToolId = 'augeas' | 'ifquery' | 'libxlutil';

export interface ToolRun {
  ms: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stderr: string;
}

export interface ToolResult {
  /** Median wall time of the runs (ms), or the timeout when it did not finish. */
  ms: number;
  runs: number;
  /** What happened: 'accepted', 'rejected', 'crashed (SIGSEGV)', 'timeout'. */
  outcome: string;
  timedOut: boolean;
  detail: string;
}

export const INSTALL_HINT = 'bash ../shared/oracles/setup.sh';

/** The command line of each tool for a file, or null when the tool is not installed here. */
export function toolCommand(tool: ToolId, lens: string | null, file: string, stateDir: string): [string, string[]] | null {
  switch (tool) {
    case 'augeas': {
      const script = join(oraclesDir, 'aug-parse.sh');
      if (!existsSync(script) || !existsSync('/usr/bin/augtool') || !lens) return null;
      return [script, [lens, file]];
    }
    case 'ifquery':
      if (!existsSync('/sbin/ifquery')) return null;
      return ['/sbin/ifquery', ['--state-dir', stateDir, '-i', file, '--list', '-a']];
    case 'libxlutil': {
      const bin = join(oraclesBin, 'xlu-check');
      if (!existsSync(bin)) return null;
      return [bin, [file]];
    }
  }
}

/** One run, wall time, killed (with its children: own process group) past timeoutMs. */
export function runOnce(cmd: string, args: string[], timeoutMs: number): Promise<ToolRun> {
  return new Promise((resolveRun) => {
    const start = performance.now();
    // QUIET=1: aug-parse.sh then prints only the errors, not the whole tree (we time the parse).
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, QUIET: '1' } });
    let stderr = '';
    let timedOut = false;
    // Both streams are drained (a full pipe would stall the tool); the first 4 kB of each are kept.
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      if (stdout.length < 4000) stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 4000) stderr += d.toString();
    });
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, timeoutMs);
    const done = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      resolveRun({ ms: performance.now() - start, code, signal, timedOut, stderr: stderr || (code ? stdout : '') });
    };
    child.on('error', (e) => {
      stderr += String(e);
      done(127, null);
    });
    child.on('close', done);
  });
}

function describe(run: ToolRun): string {
  if (run.timedOut) return 'timeout';
  // A shell reports a child killed by a signal as 128+N: aug-parse.sh runs augtool in $(...).
  if (run.signal === 'SIGSEGV' || run.code === 139) return 'crashed (SIGSEGV)';
  if (run.signal) return `killed (${run.signal})`;
  return run.code === 0 ? 'accepted' : `rejected (exit ${run.code})`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Times a tool: a first run (which also warms the page cache); when it is quick (under
 * `repeatBelowMs`), `repeats` more runs and their median. Slow tools get that one run, and a
 * tool still running at `timeoutMs` is stopped and reported as "> N s".
 */
export async function timeTool(cmd: string, args: string[], opts: { timeoutMs: number; repeatBelowMs: number; repeats: number }): Promise<ToolResult> {
  const first = await runOnce(cmd, args, opts.timeoutMs);
  const runs = [first];
  if (!first.timedOut && first.ms < opts.repeatBelowMs) {
    runs.length = 0;
    for (let i = 0; i < opts.repeats; i++) runs.push(await runOnce(cmd, args, opts.timeoutMs));
  }
  const last = runs[runs.length - 1];
  const lines = last.stderr.trim().split('\n').filter(Boolean);
  return {
    ms: first.timedOut ? opts.timeoutMs : median(runs.map((r) => r.ms)),
    runs: runs.length,
    outcome: describe(last),
    timedOut: first.timedOut,
    detail: lines.slice(-1)[0]?.slice(0, 160) ?? '',
  };
}

/** /usr/bin/time (Debian package `time`): the peak RSS of a whole process and its children. */
export const TIME_BIN = '/usr/bin/time';

export interface WholeRun extends ToolRun {
  /** Peak resident set (KB) of the process or of its largest child, from /usr/bin/time; NaN without it. */
  rssKB: number;
}

/**
 * One run of a whole process (start-up, reading, printing), wall time measured here; under
 * /usr/bin/time -f %M when installed, for the peak RSS (getrusage of the children it waited for).
 */
export async function runWhole(cmd: string, args: string[], timeoutMs: number, rssFile: string): Promise<WholeRun> {
  const withTime = existsSync(TIME_BIN);
  const run = withTime ? await runOnce(TIME_BIN, ['-f', '%M', '-o', rssFile, cmd, ...args], timeoutMs) : await runOnce(cmd, args, timeoutMs);
  let rssKB = NaN;
  if (withTime && !run.timedOut) {
    try {
      const lines = readFileSync(rssFile, 'utf8').trim().split('\n');
      // (a child that died of a signal adds a "Command terminated by signal" line before the figure)
      rssKB = Number(lines[lines.length - 1]);
    } catch {
      rssKB = NaN;
    }
  }
  // /usr/bin/time exits with the command's status, or 128+N when a signal ended it
  return { ...run, rssKB };
}

export function describeRun(run: ToolRun): string {
  return describe(run);
}
