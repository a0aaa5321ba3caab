// What ssh would run on this machine before it even reaches the host: the commands of the
// ssh_config in force (ProxyCommand, LocalCommand, KnownHostsCommand, and `Match exec`, which ssh
// runs while it reads its configuration). Shown to the user before the first connection.
//
// `ssh -G` prints the configuration after evaluating Host and Match blocks, without connecting, but
// evaluating a `Match exec` block runs its command. So the files are read first (the given file,
// or ~/.ssh/config, and /etc/ssh/ssh_config, with their Include lines, a few levels deep): when any
// holds `Match ... exec`, ssh -G is not run and the lines are shown instead.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { runArgv, sshPrefix, type SshTarget } from './ssh';

export interface SshConfigInForce {
  /** The ssh program (absolute path). */
  ssh: string;
  /** The ssh_config files read (in order), the user's first. */
  files: string[];
  /** `Match ... exec` lines found (file:line: text): ssh would run them just by reading its configuration. */
  matchExec: string[];
  /** Whether ssh -G was run (not when a Match exec line was found). */
  evaluated: boolean;
  /** From ssh -G: where it connects. */
  user?: string;
  hostname?: string;
  port?: string;
  /** From ssh -G: the commands it would run on this machine, as `Keyword value`. */
  commands: string[];
  /** Why ssh -G failed, when it did. */
  error?: string;
}

const MAX_FILES = 64;
const MAX_BYTES = 1024 * 1024;

/** The first word of a config line and the rest (keyword may be `Key=value`). Linear scan. */
function splitLine(line: string): { key: string; rest: string } {
  let i = 0;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  let j = i;
  while (j < line.length && line[j] !== ' ' && line[j] !== '\t' && line[j] !== '=') j++;
  const key = line.slice(i, j).toLowerCase();
  let k = j;
  while (k < line.length && (line[k] === ' ' || line[k] === '\t' || line[k] === '=')) k++;
  return { key, rest: line.slice(k).trim() };
}

/** Whether a name matches a pattern with `*` and `?` (linear-time two-pointer wildcard match). */
function wildcard(pattern: string, name: string): boolean {
  let p = 0;
  let n = 0;
  let star = -1;
  let mark = 0;
  while (n < name.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === name[n])) {
      p++;
      n++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = n;
    } else if (star >= 0) {
      p = star + 1;
      n = ++mark;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/** The files an Include argument names (wildcards in the last segment only; relative to base). */
function expandInclude(arg: string, base: string): string[] {
  let path = arg.startsWith('~/') ? join(homedir(), arg.slice(2)) : arg;
  if (!isAbsolute(path)) path = join(base, path);
  const dir = dirname(path);
  const last = path.slice(dir.length + 1);
  if (!last.includes('*') && !last.includes('?')) return [path];
  try {
    return readdirSync(dir)
      .filter((n) => !n.startsWith('.') && wildcard(last, n))
      .sort()
      .slice(0, MAX_FILES)
      .map((n) => join(dir, n));
  } catch {
    return [];
  }
}

/** Reads the config files (Include followed) and lists their `Match ... exec` lines. */
export function scanSshConfig(first: string[], userBase: string): { files: string[]; matchExec: string[] } {
  const files: string[] = [];
  const matchExec: string[] = [];
  const queue: { path: string; base: string; depth: number }[] = first.map((p) => ({
    path: p,
    base: p.startsWith('/etc/ssh') ? '/etc/ssh' : userBase,
    depth: 0,
  }));
  const seen = new Set<string>();
  while (queue.length && files.length < MAX_FILES) {
    const { path, base, depth } = queue.shift()!;
    if (seen.has(path)) continue;
    seen.add(path);
    let text: string;
    try {
      if (!statSync(path).isFile()) continue;
      text = readFileSync(path, 'utf8').slice(0, MAX_BYTES);
    } catch {
      continue;
    }
    files.push(path);
    text.split('\n').forEach((line, i) => {
      const { key, rest } = splitLine(line);
      if (key === 'match') {
        const words = rest.split(/[ \t]+/).map((w) => w.toLowerCase());
        if (words.some((w) => w === 'exec' || w.startsWith('exec=') || w === '!exec')) matchExec.push(`${path}:${i + 1}: ${line.trim().slice(0, 300)}`);
      } else if (key === 'include' && depth < 4) {
        for (const arg of rest.split(/[ \t]+/)) if (arg) for (const p of expandInclude(arg, base)) queue.push({ path: p, base, depth: depth + 1 });
      }
    });
  }
  return { files, matchExec };
}

/** The keywords of `ssh -G`'s output that run a command on this machine (LocalCommand only when permitted). */
const COMMAND_KEYS = ['proxycommand', 'localcommand', 'knownhostscommand', 'proxyjump', 'remotecommand'];

/** Parses `ssh -G` output. */
export function parseSshG(output: string): Pick<SshConfigInForce, 'user' | 'hostname' | 'port' | 'commands'> {
  const out: Pick<SshConfigInForce, 'user' | 'hostname' | 'port' | 'commands'> = { commands: [] };
  let permitLocal = false;
  const found: [string, string][] = [];
  for (const line of output.split('\n')) {
    const sp = line.indexOf(' ');
    if (sp < 0) continue;
    const key = line.slice(0, sp);
    const value = line.slice(sp + 1).trim();
    if (key === 'user') out.user = value;
    else if (key === 'hostname') out.hostname = value;
    else if (key === 'port') out.port = value;
    else if (key === 'permitlocalcommand') permitLocal = value === 'yes';
    else if (COMMAND_KEYS.includes(key) && value !== '' && value !== 'none') found.push([key, value]);
  }
  const names: Record<string, string> = {
    proxycommand: 'ProxyCommand',
    localcommand: 'LocalCommand',
    knownhostscommand: 'KnownHostsCommand',
    proxyjump: 'ProxyJump',
    remotecommand: 'RemoteCommand',
  };
  for (const [k, v] of found) if (k !== 'localcommand' || permitLocal) out.commands.push(`${names[k]} ${v.slice(0, 500)}`);
  return out;
}

/** What ssh would run for this target (see the top of this file). Never throws. */
export async function sshConfigInForce(target: SshTarget): Promise<SshConfigInForce> {
  const prefix = sshPrefix(target, { tty: false });
  const ssh = prefix[0];
  const userFile = target.configFile ?? join(homedir(), '.ssh', 'config');
  // with -F, ssh reads that file only; without, the user's then the system's
  const first = target.configFile ? [target.configFile] : [userFile, '/etc/ssh/ssh_config'];
  const { files, matchExec } = scanSshConfig(first, target.configFile ? dirname(target.configFile) : join(homedir(), '.ssh'));
  const result: SshConfigInForce = { ssh, files, matchExec, evaluated: false, commands: [] };
  if (matchExec.length) return result;
  // ssh -G [-F file] [-p port] -- destination: the options of the prefix without -T/-o BatchMode
  const argv = [ssh, '-G'];
  if (target.configFile) argv.push('-F', target.configFile);
  if (target.port !== undefined) argv.push('-p', String(target.port));
  argv.push('--', target.destination);
  try {
    const r = await runArgv(argv, { timeoutMs: 10_000, maxStdout: 1024 * 1024 });
    if (r.code !== 0) {
      result.error = `ssh -G failed (exit ${r.code}): ${r.stderr.trim().slice(0, 300)}`;
      return result;
    }
    Object.assign(result, parseSshG(r.stdout.toString('utf8')), { evaluated: true });
  } catch (e) {
    result.error = e instanceof Error ? e.message : String(e);
  }
  return result;
}
