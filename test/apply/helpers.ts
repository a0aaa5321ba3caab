// Helpers of the apply tests: run a generated script with a real sh, snapshot folders.
import { spawn, spawnSync } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { PROGRESS_PREFIX } from '../../server/src/apply';

export interface ShRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a script text with the given shell (script on stdin, as `sh -s` gets it over ssh). */
export function runSh(script: string, opts: { shell?: string; env?: NodeJS.ProcessEnv } = {}): ShRun {
  const r = spawnSync(opts.shell ?? 'sh', ['-s'], { input: script, encoding: 'utf8', env: opts.env ?? process.env, timeout: 60_000 });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** Starts a script (stdin) and gives the child, for tests that interrupt it. */
export function startSh(script: string, env: NodeJS.ProcessEnv): { child: ReturnType<typeof spawn>; done: Promise<ShRun> } {
  const child = spawn('sh', ['-s'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  child.stdin!.end(script);
  const done = new Promise<ShRun>((res) => child.on('close', (code, signal) => res({ code, signal, stdout, stderr })));
  return { child, done };
}

/** Every entry below dir: relative path -> kind, mode, owner, content (or link target). */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string, rel: string): void => {
    let names: string[] = [];
    try {
      names = readdirSync(d).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const p = join(d, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(p);
      const meta = `${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid}`;
      if (st.isDirectory()) {
        out.set(r, `dir ${meta}`);
        walk(p, r);
      } else if (st.isSymbolicLink()) out.set(r, `link ${readlinkSync(p)}`);
      else if (st.isFile()) out.set(r, `file ${meta} ${st.mtimeMs} ${readFileSync(p).toString('base64')}`);
      else out.set(r, `other ${st.mode}`);
    }
  };
  walk(dir, '');
  return out;
}

/** The script's progress lines (those with the prefix), prefix removed. */
export function progress(stdout: string): string[] {
  return stdout
    .split(/\r*\n/)
    .filter((l) => l.startsWith(PROGRESS_PREFIX + ' '))
    .map((l) => l.slice(PROGRESS_PREFIX.length + 1));
}

export function hasShellcheck(): boolean {
  return spawnSync('shellcheck', ['--version']).status === 0;
}

/** shellcheck -s sh on a script text: [] when clean, else its complaints. */
export function shellcheck(script: string): string {
  const r = spawnSync('shellcheck', ['-s', 'sh', '-'], { input: script, encoding: 'utf8' });
  if (r.error) throw new Error('shellcheck is not installed (Debian package shellcheck)');
  return r.status === 0 ? '' : r.stdout + r.stderr;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// Values that would run a command or break a line if any of them reached the shell unquoted
// (MARK is replaced by a file that must never appear).
export const HOSTILE = [
  '$(touch MARK)',
  '`touch MARK`',
  "'; touch MARK; '",
  '"; touch MARK; "',
  'a\ntouch MARK\n',
  '-rf',
  '; rm -rf /',
  'sp ace*?[x]',
  "it's",
  '\\$HOME',
  'x\rresult: applied',
];
