// Reading the host's current files in one ssh connection, to show a diff per file before applying.
//
// The remote script prints, for each file (each match of a pattern such as /etc/xen/*.cfg):
//
//     ==xen-fetch== <base64 of the path> <state>
//     <the content in base64, any number of lines>          (state "file" only)
//     ==xen-fetch-end== <exit status of the read>
//
// Paths and contents are base64 so any byte survives (newlines in names, binary content, no final
// newline). A path made only of letters, digits and `. _ / + -` (nearly every one) is printed as
// it is, after `==xen-fetch-path== `, so that only the content costs a process on the host (one
// `base64` per file instead of three processes: a host of 1,000 domain files). Marker lines cannot
// be mistaken for base64 (they hold "-" and spaces); anything else the login prints (a banner, a
// shell's chatter) is skipped by the parser.
import { displayValue, isGlob, pathProblems, shGlob, shQuote } from './quote';
import { sshPrefix, runArgv, stdinCommand, type RunOptions, type SshTarget } from './ssh';
import { HOST_PATH_PATTERNS, isFetchable } from '../host/paths';

/** Every place of the host's table (host/paths.ts), as paths and patterns (missing ones say so). */
export const DEFAULT_FETCH_PATHS: readonly string[] = HOST_PATH_PATTERNS;

/** Problems with the paths asked of a host: only the table's paths and patterns are ever read. */
export function fetchPathProblems(paths: readonly string[]): string[] {
  return paths.filter((p) => !isFetchable(p)).map((p) => `not one of the host's files that the extension reads (host/paths.ts): ${displayValue(p)}`);
}

export type FetchedState =
  /** Read whole: content holds it. */
  | 'file'
  /** Asked for by name, not on the host. */
  | 'missing'
  /** A pattern that matched nothing (path is the pattern). */
  | 'no-match'
  /** Exists but is not a regular file (a folder, a device...). */
  | 'not-a-file'
  /** Exists but could not be read (permissions: try with sudo). */
  | 'unreadable'
  /** The output stopped in the middle of this file (connection lost). */
  | 'incomplete';

export interface FetchedFile {
  path: string;
  state: FetchedState;
  /** The bytes, when state is 'file'. */
  content?: Buffer;
}

/** The sh script that prints the files (see the format above). */
export function fetchScript(paths: readonly string[]): string {
  for (const p of paths) {
    const problems = pathProblems(p, 'a path to read');
    if (problems.length) throw new Error(problems.join('; '));
  }
  const lines = [
    '# xen-network: print files for the editor to compare (generated)',
    '# Every single-quoted value below is meant literally (file names):',
    '# shellcheck disable=SC2016',
    'LC_ALL=C; export LC_ALL',
    'emit() { # path, whether it came from a pattern',
    '  case "$1" in',
    '    "" | *[!A-Za-z0-9._/+-]*) m="==xen-fetch=="; h=$(printf %s "$1" | base64 | tr -d "\\n") ;;',
    '    *) m="==xen-fetch-path=="; h=$1 ;;',
    '  esac',
    '  if [ ! -e "$1" ]; then',
    '    if [ "$2" = 1 ]; then printf "%s %s no-match\\n==xen-fetch-end== 0\\n" "$m" "$h"',
    '    else printf "%s %s missing\\n==xen-fetch-end== 0\\n" "$m" "$h"; fi',
    '  elif [ ! -f "$1" ]; then printf "%s %s not-a-file\\n==xen-fetch-end== 0\\n" "$m" "$h"',
    '  elif [ ! -r "$1" ]; then printf "%s %s unreadable\\n==xen-fetch-end== 0\\n" "$m" "$h"',
    '  else',
    '    printf "%s %s file\\n" "$m" "$h"',
    '    base64 < "$1"; r=$?',
    '    printf "==xen-fetch-end== %s\\n" "$r"',
    '  fi',
    '}',
  ];
  for (const p of paths) {
    if (isGlob(p)) lines.push(`for f in ${shGlob(p)}; do emit "$f" 1; done`);
    else lines.push(`emit ${shQuote(p)} 0`);
  }
  lines.push('exit 0', '');
  return lines.join('\n');
}

/**
 * The ssh argv that prints the host's files (argv[0] is ssh); the script goes on its standard
 * input (fetchScript). sudo: read as root with `sudo -n` (never prompts: fails plainly when sudo
 * wants a password). batch defaults to true (no prompt). Throws on a path off the host's table.
 */
export function fetchArgv(target: SshTarget, paths: readonly string[] = DEFAULT_FETCH_PATHS, opts: { sudo?: boolean; batch?: boolean } = {}): string[] {
  const refused = fetchPathProblems(paths);
  if (refused.length) throw new Error(refused.join('; '));
  return [...sshPrefix(target, { tty: false, batch: opts.batch ?? true }), stdinCommand({ sudoNoPrompt: opts.sudo })];
}

/** The most a fetch reads from the host (the files are base64, a third more than their size). */
export const MAX_FETCH_OUTPUT = 16 * 1024 * 1024;

const HEAD = '==xen-fetch== ';
/** The same, with the path as it is (only letters, digits and `. _ / + -`: see the top). */
const HEAD_PATH = '==xen-fetch-path== ';
const END = '==xen-fetch-end== ';

/** Reads fetch output: any bytes, any junk around the blocks. Never throws. */
export function parseFetchOutput(output: Buffer | string): FetchedFile[] {
  const text = typeof output === 'string' ? output : output.toString('latin1');
  const files: FetchedFile[] = [];
  let cur: { path: string; state: FetchedState; b64: string[] } | null = null;
  const finish = (state?: FetchedState): void => {
    if (!cur) return;
    const f: FetchedFile = { path: cur.path, state: state ?? cur.state };
    if (f.state === 'file') f.content = Buffer.from(cur.b64.join(''), 'base64');
    files.push(f);
    cur = null;
  };
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const plain = line.startsWith(HEAD_PATH);
    if (plain || line.startsWith(HEAD)) {
      finish('incomplete');
      const [name = '', state = ''] = line.slice((plain ? HEAD_PATH : HEAD).length).split(' ');
      const path = plain ? name : Buffer.from(name, 'base64').toString('utf8');
      const known: FetchedState[] = ['file', 'missing', 'no-match', 'not-a-file', 'unreadable'];
      cur = { path, state: (known as string[]).includes(state) ? (state as FetchedState) : 'unreadable', b64: [] };
    } else if (line.startsWith(END)) {
      if (cur) finish(line.slice(END.length).trim() === '0' ? undefined : 'unreadable');
    } else if (cur && cur.state === 'file' && /^[A-Za-z0-9+/=]*$/.test(line)) {
      cur.b64.push(line);
    }
  }
  finish('incomplete');
  return files;
}

export interface FetchResult {
  /** ssh's exit status (255: ssh could not connect or log in). */
  code: number | null;
  files: FetchedFile[];
  stderr: string;
  /** Set when the host sent more than MAX_FETCH_OUTPUT: the fetch was stopped and failed. */
  overflow?: boolean;
  /** Set when the fetch was stopped at its timeoutMs. */
  timedOut?: boolean;
}

/** Fetches the files over ssh (a child process, no terminal), the script on ssh's standard input. */
export async function fetchFiles(
  target: SshTarget,
  paths: readonly string[] = DEFAULT_FETCH_PATHS,
  opts: RunOptions & { sudo?: boolean; batch?: boolean; maxOutput?: number } = {},
): Promise<FetchResult> {
  const argv = fetchArgv(target, paths, opts);
  const max = opts.maxOutput ?? MAX_FETCH_OUTPUT;
  const r = await runArgv(argv, { ...opts, input: fetchScript(paths), maxStdout: max });
  if (r.overflow) {
    return {
      code: null,
      files: [],
      overflow: true,
      stderr: `the host sent more than ${Math.round(max / 1024 / 1024)} MiB for its files: stopped (the host's network files are small; something else answered)`,
    };
  }
  const out: FetchResult = { code: r.code, files: parseFetchOutput(r.stdout), stderr: r.stderr };
  if (opts.timeoutMs !== undefined && r.ms >= opts.timeoutMs && (r.signal !== null || r.code !== 0)) out.timedOut = true;
  return out;
}
