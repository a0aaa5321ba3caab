// Running a generated sh script on a host with the system's ssh client.
//
// How a script travels: as base64 inside the remote command line,
//
//     ssh [-t] [-p PORT] [options] -- DEST 'echo <base64> | base64 -d | sh -s'        (sudo: ... | sudo sh -s)
//
// (for a script too long for one command line: '... | base64 -d | gzip -dc | sh -s'). Why:
// - ssh's own standard input stays free. In a terminal (-t) it stays the user's keyboard, so sudo
//   can ask for the password on the terminal and the user can answer it, and Ctrl-C reaches the
//   script (which then puts the host back as it was). sudo reads the password from the terminal,
//   never from its standard input, so the script coming in through a pipe does not interfere.
// - The base64 alphabet ([A-Za-z0-9+/=]) means the same in every login shell (sh, bash, zsh, csh,
//   fish): nothing of the script is ever parsed by the remote login shell, only by `sh -s`.
// - No file is left on the host: the script is never stored, so there is nothing to clean up if
//   the connection drops.
// The limit: the remote command is one argument of the remote login shell (Linux caps one argument
// at 128 KiB). Longer scripts are gzip-compressed first (gzip is an essential Debian package);
// one that is still too long is refused with an error before anything is sent.
import { spawn } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import type { HostEntry } from './hosts';

/** Where and how to connect. */
export interface SshTarget {
  /** ssh alias, host or user@host (checked by validateHostEntry). */
  destination: string;
  port?: number;
  /** An ssh_config file to use instead of ~/.ssh/config (ssh -F). */
  configFile?: string;
  /** More ssh options, each a separate argument, e.g. ['-o', 'ConnectTimeout=10']. */
  options?: string[];
  /** The ssh program (default 'ssh', found on PATH). */
  ssh?: string;
}

export function targetOf(host: HostEntry, extra: Omit<SshTarget, 'destination' | 'port'> = {}): SshTarget {
  const t: SshTarget = { destination: host.destination, ...extra };
  if (host.port !== undefined) t.port = host.port;
  if (host.sshConfig !== undefined && t.configFile === undefined) t.configFile = host.sshConfig;
  return t;
}

/** Longest remote command sent (bytes); Linux caps one argument at 131072 bytes with its NUL. */
export const MAX_REMOTE_COMMAND = 131_000;

/**
 * The remote command that runs `script` with sh (as root through sudo when asked), with the script
 * carried in base64. Throws when the script is too long even compressed.
 */
export function remoteCommand(script: string, opts: { sudo?: boolean } = {}): string {
  const run = opts.sudo ? 'sudo sh -s' : 'sh -s';
  const plain = `echo ${Buffer.from(script, 'utf8').toString('base64')} | base64 -d | ${run}`;
  if (plain.length <= MAX_REMOTE_COMMAND) return plain;
  const packed = `echo ${gzipSync(Buffer.from(script, 'utf8'), { level: 9 }).toString('base64')} | base64 -d | gzip -dc | ${run}`;
  if (packed.length <= MAX_REMOTE_COMMAND) return packed;
  throw new Error(
    `the script is too long to send in one ssh command (${packed.length} bytes compressed, at most ${MAX_REMOTE_COMMAND}): apply fewer files at a time`,
  );
}

/**
 * The ssh argv (argv[0] is the ssh program) that runs `script` on the target. tty: true gives
 * `ssh -t` (for a terminal: sudo can prompt), false gives `ssh -T` (for a child process).
 * batch: true adds -o BatchMode=yes (never prompt: fail at once when a password would be needed).
 */
export function sshScriptArgv(target: SshTarget, script: string, opts: { sudo?: boolean; tty?: boolean; batch?: boolean } = {}): string[] {
  return [...sshPrefix(target, opts), remoteCommand(script, { sudo: opts.sudo })];
}

/** ssh, its options, `--`, the destination: what comes before the remote command. */
export function sshPrefix(target: SshTarget, opts: { tty?: boolean; batch?: boolean } = {}): string[] {
  const argv = [target.ssh ?? 'ssh'];
  if (target.configFile) argv.push('-F', target.configFile);
  if (target.port !== undefined) argv.push('-p', String(target.port));
  argv.push(opts.tty ? '-t' : '-T');
  if (opts.batch) argv.push('-o', 'BatchMode=yes');
  if (target.options) argv.push(...target.options);
  argv.push('--', target.destination);
  return argv;
}

export interface SshRun {
  /** ssh's exit status: the remote script's, or 255 when ssh itself failed; null when killed. */
  code: number | null;
  /** The signal that ended ssh (a timeout or an abort), else null. */
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
  /** stdout and stderr as text, interleaved in the order they came. */
  transcript: string;
  /** Milliseconds from start to exit. */
  ms: number;
}

export interface RunOptions {
  /** Kill ssh (SIGTERM, then SIGKILL) after this many ms. */
  timeoutMs?: number;
  /** Kill ssh when aborted. */
  signal?: AbortSignal;
  /** Each piece of output as it comes (e.g. to show progress). */
  onOutput?: (text: string, stream: 'stdout' | 'stderr') => void;
  /** Called once ssh has started, with its pid. */
  onSpawn?: (pid: number) => void;
  /**
   * Answers the program's output by writing to its standard input (e.g. a sudo password prompt
   * of `ssh -tt`, which forwards its input to the remote terminal). Without it stdin is closed.
   */
  respond?: (text: string, write: (input: string) => void) => void;
}

/** Runs argv (argv[0] the program, no shell) and collects its output. Never rejects on exit status. */
export function runArgv(argv: string[], opts: RunOptions = {}): Promise<SshRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: [opts.respond ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    const write = (input: string): void => {
      if (child.stdin && !child.stdin.destroyed) child.stdin.write(input);
    };
    child.stdin?.on('error', () => {
      /* the program is gone: nothing to answer */
    });
    const out: Buffer[] = [];
    let err = '';
    let transcript = '';
    let killTimer: NodeJS.Timeout | undefined;
    const kill = (): void => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), 2000);
    };
    const timer = opts.timeoutMs !== undefined ? setTimeout(kill, opts.timeoutMs) : undefined;
    const onAbort = (): void => kill();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.signal?.aborted) kill();
    child.on('spawn', () => {
      if (child.pid !== undefined) opts.onSpawn?.(child.pid);
    });
    child.stdout?.on('data', (b: Buffer) => {
      out.push(b);
      const t = b.toString('utf8');
      transcript += t;
      opts.onOutput?.(t, 'stdout');
      opts.respond?.(t, write);
    });
    child.stderr?.on('data', (b: Buffer) => {
      const t = b.toString('utf8');
      err += t;
      transcript += t;
      opts.onOutput?.(t, 'stderr');
      opts.respond?.(t, write);
    });
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      opts.signal?.removeEventListener('abort', onAbort);
      reject(new Error(`could not run ${argv[0]}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      child.stdin?.destroy();
      if (timer) clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: err, transcript, ms: Date.now() - started });
    });
  });
}

/** Runs a script on the target over ssh (no terminal: sudo must not need a password). */
export function runScriptOverSsh(target: SshTarget, script: string, opts: RunOptions & { sudo?: boolean; batch?: boolean } = {}): Promise<SshRun> {
  return runArgv(sshScriptArgv(target, script, { sudo: opts.sudo, tty: false, batch: opts.batch ?? true }), opts);
}
