// Running a generated sh script on a host with the system's ssh client.
//
// How a script travels: on ssh's standard input, never in an argument. A command line is readable
// by every user of both machines (ps, /proc/*/cmdline) for as long as it runs, and the script
// carries the files, secrets included (a domain file's vncpasswd=). The remote command is a short
// bootstrap of fixed words: `sh -s` (sudo: `sudo sh -s`), or for a terminal (see runner.ts) one
// connection that stores the script in a 0700 folder of the login and a second, with -t, that runs
// it from there, so that sudo can ask for its password on the terminal.
// - Every remote command is made of letters, digits, spaces and `/ . - _ ' | = $ ; [ ] > &`, which
//   mean the same to sh, bash, zsh, csh and fish when single-quoted as here; what the host runs is
//   parsed only by `sh`.
// - ssh is started by an absolute path (findSsh), never looked up by a name at run time.
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
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
  /** The ssh program (default: findSsh(), an absolute path). */
  ssh?: string;
}

export function targetOf(host: HostEntry, extra: Omit<SshTarget, 'destination' | 'port'> = {}): SshTarget {
  const t: SshTarget = { destination: host.destination, ...extra };
  if (host.port !== undefined) t.port = host.port;
  if (host.sshConfig !== undefined && t.configFile === undefined) t.configFile = host.sshConfig;
  if (host.identityFile !== undefined) t.options = [...identityOptions(host.identityFile), ...(t.options ?? [])];
  return t;
}

/** The ssh options that log in with one private key only (the key's path is one argument: any name is safe). */
export function identityOptions(file: string): string[] {
  return ['-i', file, '-o', 'IdentitiesOnly=yes'];
}

/** Where ssh is looked for first, before the folders of PATH that are absolute. */
const SSH_PLACES = ['/usr/bin/ssh', '/bin/ssh', '/usr/local/bin/ssh', '/opt/homebrew/bin/ssh'];

/** The absolute path of the system's ssh client, or 'ssh' when there is none (spawn then fails plainly). */
export function findSsh(pathVar: string | undefined = process.env.PATH): string {
  const isProgram = (p: string): boolean => {
    try {
      return statSync(p).isFile();
    } catch {
      return false;
    }
  };
  for (const p of SSH_PLACES) if (isProgram(p)) return p;
  for (const dir of (pathVar ?? '').split(delimiter)) {
    if (dir === '' || !isAbsolute(dir)) continue;
    const p = join(dir, 'ssh');
    if (existsSync(p) && isProgram(p)) return p;
  }
  return 'ssh';
}

/** The remote command that runs the script coming on standard input (as root through sudo when asked). */
export function stdinCommand(opts: { sudo?: boolean; sudoNoPrompt?: boolean } = {}): string {
  return opts.sudoNoPrompt ? 'sudo -n sh -s' : opts.sudo ? 'sudo sh -s' : 'sh -s';
}

/**
 * The ssh argv (argv[0] is the ssh program) that runs a script given on its standard input. The
 * script is not in it: pass it as `input` to runArgv. No terminal (-T): sudo must not prompt.
 */
export function sshStdinArgv(target: SshTarget, opts: { sudo?: boolean; batch?: boolean } = {}): string[] {
  return [...sshPrefix(target, { tty: false, batch: opts.batch }), stdinCommand({ sudo: opts.sudo })];
}

/** ssh, its options, `--`, the destination: what comes before the remote command. */
export function sshPrefix(target: SshTarget, opts: { tty?: boolean; batch?: boolean } = {}): string[] {
  const argv = [target.ssh ?? findSsh()];
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
  /** Set when stdout passed maxStdout: the program was stopped and stdout cut there. */
  overflow?: boolean;
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
  /** Written to the program's standard input, which is then closed (the script, for `sh -s`). */
  input?: string | Buffer;
  /** Stop the program (SIGTERM, then SIGKILL) once its stdout passes this many bytes. */
  maxStdout?: number;
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
    const child = spawn(argv[0], argv.slice(1), { stdio: [opts.respond || opts.input !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    if (opts.input !== undefined && child.stdin) {
      child.stdin.write(opts.input);
      if (!opts.respond) child.stdin.end();
    }
    const write = (input: string): void => {
      if (child.stdin && !child.stdin.destroyed) child.stdin.write(input);
    };
    child.stdin?.on('error', () => {
      /* the program is gone: nothing to answer */
    });
    const out: Buffer[] = [];
    let outBytes = 0;
    let overflow = false;
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
      if (overflow) return;
      if (opts.maxStdout !== undefined && outBytes + b.length > opts.maxStdout) {
        overflow = true;
        out.push(b.subarray(0, opts.maxStdout - outBytes));
        outBytes = opts.maxStdout;
        kill();
        return;
      }
      outBytes += b.length;
      out.push(b);
      const t = b.toString('utf8');
      transcript += t;
      opts.onOutput?.(t, 'stdout');
      opts.respond?.(t, write);
    });
    child.stderr?.on('data', (b: Buffer) => {
      if (err.length > 1 << 20) return; // (what ssh says of itself is short: the rest is junk)
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
      const r: SshRun = { code, signal, stdout: Buffer.concat(out), stderr: err, transcript, ms: Date.now() - started };
      if (overflow) r.overflow = true;
      resolve(r);
    });
  });
}

/** Runs a script on the target over ssh, the script on ssh's standard input (no terminal: sudo must not need a password). */
export function runScriptOverSsh(target: SshTarget, script: string, opts: RunOptions & { sudo?: boolean; batch?: boolean } = {}): Promise<SshRun> {
  return runArgv(sshStdinArgv(target, { sudo: opts.sudo, batch: opts.batch ?? true }), { ...opts, input: script });
}
