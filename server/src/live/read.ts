// Running the live script (script.ts) on a host: on this machine (`/bin/sh -s`, for the host the
// server runs on) or over ssh with the apply's runner (apply/ssh.ts: the script on ssh's standard
// input, no terminal, BatchMode: nothing prompts). Bounded in time and in output.
import { runArgv, sshPrefix, stdinCommand, type SshRun, type SshTarget } from '../apply/ssh';
import { LIVE_SCRIPT } from './script';
import { MAX_LIVE_OUTPUT, readLiveOutput, type LiveState } from './state';

/** The default and the longest time a live read may take, in ms. */
export const DEFAULT_LIVE_TIMEOUT_MS = 20_000;
export const MAX_LIVE_TIMEOUT_MS = 120_000;

export type LiveWhere = { kind: 'local' } | { kind: 'ssh'; target: SshTarget; sudo?: boolean };

export type LiveRead = { ok: true; state: LiveState; ms: number } | { ok: false; error: string; ms: number };

/** The argv that runs the live script (given on standard input). */
export function liveArgv(where: LiveWhere): string[] {
  if (where.kind === 'local') return ['/bin/sh', '-s'];
  // (xl needs root: sudo -n fails plainly rather than wait for a password)
  return [...sshPrefix(where.target, { tty: false, batch: true }), stdinCommand({ sudoNoPrompt: where.sudo })];
}

/** Reads the running host. Never rejects. */
export async function readLive(where: LiveWhere, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<LiveRead> {
  const timeoutMs = Math.min(Math.max(opts.timeoutMs ?? DEFAULT_LIVE_TIMEOUT_MS, 1000), MAX_LIVE_TIMEOUT_MS);
  const started = Date.now();
  let r: SshRun;
  try {
    r = await runArgv(liveArgv(where), { input: LIVE_SCRIPT, timeoutMs, signal: opts.signal, maxStdout: MAX_LIVE_OUTPUT });
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e), ms: Date.now() - started };
  }
  const ms = Date.now() - started;
  const place = where.kind === 'local' ? 'this machine' : where.target.destination;
  if (r.overflow) return { ok: false, error: `${place} sent more than ${MAX_LIVE_OUTPUT / 1024 / 1024} MiB: stopped (something else answered)`, ms };
  if (r.signal) return { ok: false, error: `reading ${place} took longer than ${Math.round(timeoutMs / 1000)} s: stopped`, ms };
  if (r.code !== 0) {
    const why = r.stderr.trim().split('\n').slice(-3).join(' ').slice(0, 400);
    return {
      ok: false,
      error:
        r.code === 255 && where.kind === 'ssh'
          ? `ssh could not reach ${place}: ${why || 'no message'}`
          : `the read failed on ${place} (exit ${r.code}): ${why}`,
      ms,
    };
  }
  return { ok: true, state: readLiveOutput(r.stdout.toString('utf8')), ms };
}
