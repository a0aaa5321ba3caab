// xen-net-check: the server's checks from the command line, for CI and pre-commit hooks.
//   xen-net-check [options] PATH...
// A PATH is a file or a folder (every file of ours below it, by its name). Each file gets its own
// format's diagnostics plus the host diagnostics of its host (the folder holding its etc/ tree; the
// host's other files are read from disk, as the server does). Prints `file:line:col: severity:
// message [code]`, or one JSON array with --format json. Exit status: 1 when there are errors,
// 2 on a usage error, else 0. Never throws on a file's contents.
import { lstatSync, readdirSync, readFileSync, statSync, writeSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { join, relative, resolve } from 'node:path';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import type { LanguageId } from './core/language';
import { defaultSettings, resolveSettings, type Settings } from './core/settings';
import { gatewayInterfaceProblem, routedSubnetProblem } from './core/network';
import { pathToUri } from './core/uri';
import { languageOf, loadedFormats } from './formats';
import { fileDiagnostics, hostCheckWork, HostIndex, parseCount, type OpenText } from './host/index';
import { MAX_DISK_FILE } from './host/reader';
import { insideReal, isKernelPath, realPathOf } from './core/confine';
import { boundTokens, oneLine } from './core/message';
import type { LiveHostOptions } from './features/remote';

const NAME = 'xen-net-check';

const USAGE = `usage: ${NAME} [options] PATH...

Checks Xen host network files: /etc/network/interfaces, xend-config.sxp, Xen domain files
(xm and xl) and /etc/modules. A PATH is a file or a folder (every such file below it, told by
its name); a folder holding an etc/ tree is a host, whose files are also checked together
(routed subnet, gateway, guests' addresses, scripts, modules).

Output: file:line:col: severity: message [code], then a summary on stderr.
Exit status: 1 when an error was found, 0 otherwise, 2 on a usage error.

options:
  --format text|json        text (default), or one JSON array of
                            {file, line, column, endLine, endColumn, severity, code, message}
  --subnet CIDR             the block routed to the host, e.g. 80.68.86.192/29
                            (default: learnt from /etc/network/interfaces)
  --gateway-interface NAME  the interface holding the guests' gateway (default: dummy0)
  --dialect D               who reads /etc/network/interfaces: auto, ifupdown, ifupdown2, ifupdown-ng
  --toolstack T             who reads the domain files: auto, xm, xl
  --ssh DESTINATION         check a live host instead of PATHs: user@dom0 (or an ssh
                            alias); its files are read over ssh (read-only) into a
                            temporary folder, removed afterwards; output names the
                            host's paths. Exit status 2 when the host cannot be read.
  --port N, --identity FILE, --ssh-config FILE
                            with --ssh: ssh's port, private key (ssh -i), ssh_config (-F)
  -h, --help                this help
  -V, --version             the version
`;

class UsageError extends Error {}

interface Options {
  format: 'text' | 'json';
  settings: Settings;
  paths: string[];
  help: boolean;
  version: boolean;
  /** --ssh: a live host to check instead of paths. */
  ssh?: LiveHostOptions;
}

const DIALECTS = ['auto', 'ifupdown', 'ifupdown2', 'ifupdown-ng'] as const;
const TOOLSTACKS = ['auto', 'xm', 'xl'] as const;

export function parseArgs(argv: string[]): Options {
  let format: 'text' | 'json' = 'text';
  let subnet = '';
  let gatewayInterface = defaultSettings.network.gatewayInterface;
  let dialect: string = defaultSettings.interfaces.dialect;
  let toolstack: string = defaultSettings.domain.toolstack;
  const paths: string[] = [];
  let help = false;
  let version = false;
  let optionsDone = false;
  const live: Partial<LiveHostOptions> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (optionsDone || !arg.startsWith('-') || arg === '-') {
      paths.push(arg);
      continue;
    }
    if (arg === '--') {
      optionsDone = true;
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (eq >= 0) return arg.slice(eq + 1);
      if (i + 1 >= argv.length) throw new UsageError(`${name} needs a value`);
      return argv[++i];
    };
    switch (name) {
      case '-h':
      case '--help':
        help = true;
        break;
      case '-V':
      case '--version':
        version = true;
        break;
      case '--format': {
        const v = value();
        if (v !== 'text' && v !== 'json') throw new UsageError(`--format takes text or json, not '${v}'`);
        format = v;
        break;
      }
      case '--subnet': {
        const v = value().trim();
        const problem = routedSubnetProblem(v);
        if (problem) throw new UsageError(`--subnet takes an IPv4 address/prefix such as 80.68.86.192/29: ${problem}`);
        subnet = v;
        break;
      }
      case '--gateway-interface': {
        const v = value().trim();
        const problem = gatewayInterfaceProblem(v);
        if (problem) throw new UsageError(`--gateway-interface takes an interface name: ${problem}`);
        gatewayInterface = v;
        break;
      }
      case '--dialect': {
        const v = value();
        if (!(DIALECTS as readonly string[]).includes(v)) throw new UsageError(`--dialect takes one of ${DIALECTS.join(', ')}, not '${v}'`);
        dialect = v;
        break;
      }
      case '--toolstack': {
        const v = value();
        if (!(TOOLSTACKS as readonly string[]).includes(v)) throw new UsageError(`--toolstack takes one of ${TOOLSTACKS.join(', ')}, not '${v}'`);
        toolstack = v;
        break;
      }
      case '--ssh':
        live.destination = value();
        break;
      case '--port': {
        const v = value();
        if (!/^[0-9]{1,5}$/.test(v) || Number(v) < 1 || Number(v) > 65535) throw new UsageError(`--port takes a port number from 1 to 65535, not '${v}'`);
        live.port = Number(v);
        break;
      }
      case '--identity':
        live.identity = resolve(value());
        break;
      case '--ssh-config':
        live.sshConfig = resolve(value());
        break;
      default:
        throw new UsageError(`unknown option ${name}`);
    }
  }
  if (live.destination === undefined && (live.port !== undefined || live.identity !== undefined || live.sshConfig !== undefined))
    throw new UsageError('--port, --identity and --ssh-config go with --ssh');
  if (live.destination !== undefined && paths.length) throw new UsageError('--ssh checks a live host: give no PATH with it');
  const settings = resolveSettings({
    interfaces: { dialect },
    domain: { toolstack },
    network: { routedSubnet: subnet, gatewayInterface },
  });
  return { format, settings, paths, help, version, ...(live.destination !== undefined ? { ssh: live as LiveHostOptions } : {}) };
}

/** One problem as printed. line and column are 1-based; end is exclusive, as in LSP. */
export interface Finding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: 'error' | 'warning' | 'info' | 'hint';
  code: string;
  message: string;
}

function severityName(s: DiagnosticSeverity | undefined): Finding['severity'] {
  switch (s) {
    case DiagnosticSeverity.Warning:
      return 'warning';
    case DiagnosticSeverity.Information:
      return 'info';
    case DiagnosticSeverity.Hint:
      return 'hint';
    default:
      return 'error';
  }
}

interface Target {
  path: string; // absolute
  languageId: LanguageId;
  /** Named on the command line (not found by a walk): read up to MAX_NAMED_FILE, not MAX_DISK_FILE. */
  named?: boolean;
}

/**
 * A file named on the command line is read up to this size; a file found by walking a folder, up
 * to the server's MAX_DISK_FILE (2 MiB: a repository's stray dump is not read).
 */
export const MAX_NAMED_FILE = 64 * 1024 * 1024;

/** Folders never walked into. */
const SKIP_DIRS = new Set(['node_modules']);
/** Folder entries one run looks at, at most (a host's files are a few hundred). */
const MAX_WALK_ENTRIES = 200_000;

interface WalkState {
  /** The real path of the folder given: nothing whose real path lies outside it is read. */
  rootReal: string;
  /** Entries looked at so far. */
  visited: number;
  /** Links skipped because they lead out of the folder given (or into /proc, /sys, /dev). */
  outside: string[];
  truncated: boolean;
}

/**
 * Every file of ours below dir, sorted. No link to a folder is walked into; a link to a file is
 * taken only when its real path lies inside the folder given (a repository's
 * `etc/network/interfaces -> /proc/self/environ` is not read); /proc, /sys and /dev are not walked
 * (a walk of /); at most MAX_WALK_ENTRIES entries are looked at.
 */
function walk(dir: string, out: Target[], problems: Finding[], state: WalkState): void {
  if (state.visited >= MAX_WALK_ENTRIES) {
    state.truncated = true;
    return;
  }
  const real = realPathOf(dir);
  if (real === undefined || !insideReal(state.rootReal, real) || isKernelPath(real)) return;
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (err) {
    problems.push(unreadable(dir, err));
    return;
  }
  for (const name of names) {
    if (++state.visited > MAX_WALK_ENTRIES) {
      state.truncated = true;
      return;
    }
    const p = join(dir, name);
    let st;
    try {
      st = lstatSync(p);
    } catch {
      continue;
    }
    if (st.isDirectory()) {
      if (name.startsWith('.') || SKIP_DIRS.has(name)) continue;
      walk(p, out, problems, state);
      continue;
    }
    const languageId = st.isFile() || st.isSymbolicLink() ? languageOf(p) : undefined;
    if (!languageId) continue;
    if (st.isSymbolicLink()) {
      // a link to a folder is not followed; one to a file only when it stays in the folder given
      const to = realPathOf(p);
      if (to === undefined) continue; // dangling
      if (!insideReal(state.rootReal, to) || isKernelPath(to)) {
        state.outside.push(p);
        continue;
      }
      try {
        if (!statSync(to).isFile()) continue;
      } catch {
        continue;
      }
    }
    out.push({ path: p, languageId });
  }
}

function displayPath(abs: string): string {
  const r = relative(process.cwd(), abs);
  return r === '' ? '.' : r;
}

function unreadable(abs: string, err: unknown): Finding {
  const why = err && typeof err === 'object' && 'code' in err ? String((err as { code: unknown }).code) : String(err);
  return {
    file: displayPath(abs),
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1,
    severity: 'error',
    code: 'cli/unreadable',
    message: `this could not be read (${why}), so it was not checked`,
  };
}

/** A file not read on purpose (the reason says why; never what the file holds or where a link leads). */
function notFollowed(abs: string, why: string): Finding {
  return {
    file: displayPath(abs),
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1,
    severity: 'warning',
    code: 'cli/not-followed',
    message: `not checked: ${why}`,
  };
}

/** A finding of the file shown as `file` (displayPath of its path, computed once per file). */
function toFinding(file: string, d: Diagnostic): Finding {
  return {
    file,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.character + 1,
    severity: severityName(d.severity),
    code: d.code === undefined ? 'unknown' : String(d.code),
    // (at most a short piece of any token of the file: a CI log is read by many)
    message: boundTokens(oneLine(typeof d.message === 'string' ? d.message : d.message.value)),
  };
}

export interface CheckResult {
  findings: Finding[];
  files: number;
}

/** The files of one host (or one file of no host), in the order first met. */
type Group = [key: string, targets: Target[]];

/** Groups the targets by host: host key (or NUL + path for a file of no host) -> its targets. */
function groupTargets(targets: Target[], hosts: HostIndex): Group[] {
  const groups = new Map<string, Target[]>();
  for (const t of targets) {
    const key = hosts.hostKey(pathToUri(t.path)) ?? `\0${t.path}`;
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(t);
  }
  return [...groups];
}

function newIndex(folders: string[]): HostIndex {
  // a folder named on the command line is the host of its files that lie in no etc/ tree
  const hosts = new HostIndex();
  hosts.setWorkspaceFolders(folders.map((f) => pathToUri(f)));
  return hosts;
}

/**
 * Checks groups of files one host at a time: a host's files are read, its host check runs once for
 * all of them, and the host is released before the next: the work is linear in the files of a
 * host, and memory holds one host at a time (and the findings).
 */
function checkGroups(hosts: HostIndex, groups: Group[], settings: Settings): CheckResult {
  const findings: Finding[] = [];
  let files = 0;
  for (const [key, group] of groups) {
    // The files named here stand in for the disk copy of the same path (read once, here).
    const opened: { t: Target; open: OpenText }[] = [];
    for (const t of group) {
      try {
        const limit = t.named ? MAX_NAMED_FILE : MAX_DISK_FILE;
        if (statSync(t.path).size > limit) {
          findings.push(
            notFollowed(
              t.path,
              t.named
                ? `bigger than ${limit / 1024 / 1024} MiB (a host's configuration is a few KB)`
                : `bigger than ${limit / 1024 / 1024} MiB (a host's configuration is a few KB); the server does not read such a file from disk either (name it on the command line to check it)`,
            ),
          );
          continue;
        }
        // invalid UTF-8 becomes U+FFFD, as an editor shows it (Buffer's decoder: reading straight
        // into a string, readFileSync(path, 'utf8'), was measured 1.5-2 times slower on Node 20)
        const text = readFileSync(t.path).toString('utf8');
        opened.push({ t, open: { uri: pathToUri(t.path), languageId: t.languageId, version: 0, getText: () => text } });
      } catch (err) {
        findings.push(unreadable(t.path, err));
      }
    }
    files += opened.length;
    const inHost = !key.startsWith('\0') && opened.length > 0;
    // one check of the whole host, for all its files
    const check = inHost
      ? hosts.checkHostOf(
          opened[0].open.uri,
          opened.map((o) => o.open),
          settings,
        )
      : undefined;
    for (const { t, open } of opened) {
      const file = displayPath(t.path);
      let diags: Diagnostic[];
      try {
        // (the host check parsed the file already: the index hands back that parse)
        const doc = hosts.document(open, settings);
        diags = doc ? fileDiagnostics(open.uri, doc, settings, () => check?.diagnostics.get(open.uri), { internalError }) : [];
      } catch (err) {
        diags = [internalError(err)];
      }
      for (const d of diags) findings.push(toFinding(file, d));
    }
    if (inHost) hosts.release(opened.map((o) => o.open.uri));
    else for (const o of opened) hosts.forget(o.open.uri);
  }
  return { findings, files };
}

/**
 * node:worker_threads, loaded when a worker is started or is this thread (it brings Node's streams
 * and worker machinery: a run over a few files needs none of it). A worker is told by WORKER_MARK in
 * its argv, then confirmed by worker_threads itself (the mark given on a command line is no worker).
 */
function threads(): typeof import('node:worker_threads') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use
  return require('node:worker_threads') as typeof import('node:worker_threads');
}
const WORKER_MARK = '--xen-net-check-worker-thread';

/** Below this many files a worker thread costs more (its start-up) than it saves. */
export const MIN_PARALLEL_FILES = 300;

/**
 * The young generation of a worker thread, MiB. With Node's default (48 MiB on a 64-bit machine)
 * the garbage of each host's check outlives a few scavenges and is promoted, and the old space
 * grows to 45-50 MB between two full collections: a peak that grows with the number of hosts
 * although nothing of a released host is kept. 12 MiB keeps it flat (500 hosts of 10 guests: peak
 * 99-101 MiB, against 126-127 MiB in the main thread, for the same time; docs/benchmarks.md).
 */
export const WORKER_YOUNG_GENERATION_MB = 12;

/**
 * Which threads check hosts. XEN_NET_CHECK_WORKERS when set (1: this thread alone; 2 or more:
 * this one and that many less one workers, whatever the number of files: the tests use it).
 * Else: this thread alone for fewer than MIN_PARALLEL_FILES files or fewer than two hosts, and for
 * many hosts one worker thread, with a young generation of WORKER_YOUNG_GENERATION_MB, while this
 * thread waits. Two threads at once were measured no faster on the bench's 2 cores (the listing
 * and grouping that precede the split are this thread's alone) and peaked 20-40 MiB higher.
 */
export function threadPlan(groups: Group[], files: number): { here: boolean; workers: number } {
  const hosts = groups.filter(([key]) => !key.startsWith('\0')).length;
  const forced = Number(process.env.XEN_NET_CHECK_WORKERS);
  if (Number.isInteger(forced) && forced >= 1) return { here: true, workers: Math.min(forced, Math.max(1, groups.length)) - 1 };
  if (hosts < 2 || files < MIN_PARALLEL_FILES) return { here: true, workers: 0 };
  return { here: false, workers: 1 };
}

/** The groups cut into n runs of consecutive groups holding about as many files each. */
function splitGroups(groups: Group[], n: number): Group[][] {
  const total = groups.reduce((sum, [, g]) => sum + g.length, 0);
  const parts: Group[][] = [[]];
  let done = 0;
  for (const g of groups) {
    if (parts.length < n && parts[parts.length - 1].length > 0 && done >= (total * parts.length) / n) parts.push([]);
    parts[parts.length - 1].push(g);
    done += g[1].length;
  }
  return parts;
}

/** What a worker thread is given, and what it answers. */
interface WorkerJob {
  groups: Group[];
  settings: Settings;
  folders: string[];
}
interface WorkerAnswer extends CheckResult {
  passes: number;
  hostFiles: number;
  parses: number;
  formats: string[];
}

/** Work done by the worker threads of this run, for the count printed with XEN_NET_CHECK_COUNT_WORK. */
const workerWork = { threads: 1, inWorker: false, passes: 0, hostFiles: 0, parses: 0, formats: new Set<string>() };

/** Checks groups in a worker thread running this same bundle; rejects when the thread fails. */
function checkInWorker(job: WorkerJob): Promise<WorkerAnswer> {
  return new Promise((resolveAnswer, reject) => {
    const worker = new (threads().Worker)(__filename, {
      argv: [WORKER_MARK],
      workerData: job,
      stdout: false,
      stderr: false,
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    });
    let answered = false;
    worker.once('message', (a: WorkerAnswer) => {
      answered = true;
      resolveAnswer(a);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`the worker thread ended (${code}) without an answer`));
    });
  });
}

/**
 * Checks the files of targets (absolute paths, deduplicated by the caller). Never throws.
 * The files are taken host by host (a file in no host alone): see checkGroups. With many hosts the
 * hosts go to worker threads (threadPlan: by default one, this thread waiting; forced, this
 * thread checks the first run of hosts while workers check the others); the findings are sorted
 * as before, so the output is byte for byte that of this thread alone (test/cli/parallel.test.ts).
 * A worker thread that fails has its hosts checked here.
 */
export async function checkTargets(targets: Target[], settings: Settings, early: Finding[] = [], folders: string[] = []): Promise<CheckResult> {
  const hosts = newIndex(folders);
  const groups = groupTargets(targets, hosts);
  const plan = threadPlan(groups, targets.length);
  const parts = splitGroups(groups, (plan.here ? 1 : 0) + plan.workers);
  const mine = plan.here ? parts.shift()! : [];
  const theirs = parts;
  workerWork.threads = (plan.here ? 1 : 0) + theirs.length;
  workerWork.inWorker = !plan.here;
  const pending = theirs.map((g) => checkInWorker({ groups: g, settings, folders }).catch(() => g));
  const results = [checkGroups(hosts, mine, settings)];
  for (const p of pending) {
    const a = await p;
    if (Array.isArray(a)) {
      results.push(checkGroups(hosts, a, settings));
      continue;
    }
    results.push(a);
    workerWork.passes += a.passes;
    workerWork.hostFiles += a.hostFiles;
    workerWork.parses += a.parses;
    for (const f of a.formats) workerWork.formats.add(f);
  }
  const findings = [...early, ...results.flatMap((r) => r.findings)];
  findings.sort(
    (a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
  return { findings, files: results.reduce((n, r) => n + r.files, 0) };
}

/** The worker thread's side: check the groups given, answer once. */
function runWorker(job: WorkerJob): void {
  const r = checkGroups(newIndex(job.folders), job.groups, job.settings);
  const answer: WorkerAnswer = {
    ...r,
    passes: hostCheckWork.passes,
    hostFiles: hostCheckWork.files,
    parses: parseCount.parses,
    formats: loadedFormats(),
  };
  threads().parentPort!.postMessage(answer);
}

function internalError(err: unknown): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Error,
    code: 'cli/internal-error',
    message: `this file could not be checked: the checker hit an internal error (${err instanceof Error ? err.message : String(err)}); please report it with the file attached`,
  };
}

function versionOf(): string {
  try {
    // dist/cli.js sits beside the package's package.json one folder up
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
    if (typeof pkg.version === 'string') return pkg.version;
  } catch {
    /* not installed as a package */
  }
  return 'unknown';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Runs the command; returns the exit status. Output goes through the two writers. */
export async function main(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  let opts: Options;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`${NAME}: ${e.message}\nTry '${NAME} --help'.\n`);
      return 2;
    }
    throw e;
  }
  if (opts.help) {
    out(USAGE);
    return 0;
  }
  if (opts.version) {
    out(`${NAME} ${versionOf()}\n`);
    return 0;
  }
  if (opts.ssh) {
    // a live host: fetched into a temporary folder, checked as a folder is, named by its own paths (features/remote.ts)
    // loaded here only: it brings apply's ssh, child_process and crypto, which a check of files never needs
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, as formats/index.ts does
    const { checkLiveHost } = require('./features/remote') as typeof import('./features/remote');
    return checkLiveHost(opts.ssh, (t, folder) => checkTargets(t, opts.settings, [], [folder]), displayPath).then((r) => {
      if (!r.ok) return (err(`${NAME}: ${r.error}\n`), 2);
      for (const s of r.skipped) err(`${NAME}: ${s.path}: ${s.why}\n`);
      return report(opts, r.findings, r.files, out, err);
    });
  }
  if (opts.paths.length === 0) {
    err(`${NAME}: no PATH given: name the files or folders to check, e.g. ${NAME} /etc\nTry '${NAME} --help'.\n`);
    return 2;
  }
  const targets: Target[] = [];
  const early: Finding[] = [];
  const missing: string[] = [];
  const folders: string[] = [];
  for (const p of opts.paths) {
    const abs = resolve(p);
    let st;
    try {
      st = statSync(abs);
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT' || (e as { code?: string }).code === 'ENOTDIR') missing.push(p);
      else early.push(unreadable(abs, e));
      continue;
    }
    if (st.isDirectory()) {
      folders.push(abs);
      const before = targets.length;
      const state: WalkState = { rootReal: realPathOf(abs) ?? abs, visited: 0, outside: [], truncated: false };
      walk(abs, targets, early, state);
      for (const o of state.outside) early.push(notFollowed(o, 'a symbolic link whose target lies outside the folder given (or in /proc, /sys or /dev)'));
      if (state.truncated) err(`${NAME}: ${p}: stopped after ${MAX_WALK_ENTRIES} entries; name the host's folders to check the rest\n`);
      if (targets.length === before) err(`${NAME}: ${p}: no file to check below this folder (none is named like one of the Xen network files)\n`);
    } else if (isKernelPath(realPathOf(abs) ?? abs)) {
      // a file named on the command line that is, or links to, the kernel's live state
      early.push(notFollowed(abs, 'it is, or links to, a file of /proc, /sys or /dev'));
    } else if (!st.isFile()) {
      early.push(unreadable(abs, 'not a regular file'));
    } else {
      const languageId = languageOf(abs);
      if (languageId) targets.push({ path: abs, languageId, named: true });
      else {
        early.push({
          file: displayPath(abs),
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 1,
          severity: 'warning',
          code: 'cli/unknown-file',
          message: 'not checked: its name is not one of the Xen network files (network/interfaces, *.sxp, xen/*.cfg, etc/modules...)',
        });
      }
    }
  }
  if (missing.length) {
    err(missing.map((p) => `${NAME}: ${p}: no such file or folder\n`).join(''));
    return 2;
  }
  const seen = new Set<string>();
  const named = new Set(targets.filter((t) => t.named).map((t) => t.path));
  const unique = targets.filter((t) => (seen.has(t.path) ? false : (seen.add(t.path), true))).map((t) => (named.has(t.path) ? { ...t, named: true } : t));
  const { findings, files } = await checkTargets(unique, opts.settings, early, folders);
  return report(opts, findings, files, out, err);
}

/** Prints the findings and the summary; the exit status. */
function report(opts: Options, findings: Finding[], files: number, out: (s: string) => void, err: (s: string) => void): number {
  if (opts.format === 'json') {
    out(JSON.stringify(findings, null, 2) + '\n');
  } else {
    out(findings.map((f) => `${f.file}:${f.line}:${f.column}: ${f.severity}: ${f.message} [${f.code}]\n`).join(''));
  }
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  err(`${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(files, 'file')}\n`);
  // for the tests: how much host checking ran (test/cli asserts it grows linearly with a host's files)
  if (process.env.XEN_NET_CHECK_COUNT_WORK === '1') {
    const formats = [...new Set([...loadedFormats(), ...workerWork.formats])].sort();
    err(
      `host checks: ${hostCheckWork.passes + workerWork.passes} passes over ${hostCheckWork.files + workerWork.hostFiles} files; ` +
        `${parseCount.parses + workerWork.parses} parses\n` +
        `threads: ${workerWork.threads}\n` +
        `in a worker: ${workerWork.inWorker ? 'yes' : 'no'}\n` +
        `formats loaded: ${formats.join(' ') || 'none'}\n`,
    );
  }
  return errors > 0 ? 1 : 0;
}

/** The streams that writer() fell back to (none when every write went out with write(2)). */
const streamsInUse: NodeJS.WriteStream[] = [];

/**
 * Writes s to fd 1 or 2 with write(2) itself: process.stdout and process.stderr on a pipe load
 * Node's streams and net (about 10 ms of a 20-line file's run; docs/benchmarks.md "A cheaper
 * start"). A descriptor left non-blocking by whoever shares it (EAGAIN) goes through Node's stream
 * from then on, which waits for the reader; a closed stdout (| head) ends the run quietly.
 */
function writer(fd: 1 | 2): (s: string) => void {
  let stream: NodeJS.WriteStream | undefined;
  return (s) => {
    if (stream) return void stream.write(s);
    const bytes = Buffer.from(s);
    let done = 0;
    try {
      while (done < bytes.length) done += writeSync(fd, bytes, done);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        stream = fd === 1 ? process.stdout : process.stderr;
        streamsInUse.push(stream);
        if (fd === 1) stream.on('error', (e: NodeJS.ErrnoException) => process.exit(e.code === 'EPIPE' ? 0 : 2));
        stream.write(bytes.subarray(done));
      } else if (fd === 1) process.exit(code === 'EPIPE' ? 0 : 2);
    }
  };
}

// Entry point of dist/cli.js (server/bin/xen-net-check runs it), and of its worker threads.
if (process.argv.includes(WORKER_MARK) && !threads().isMainThread) {
  runWorker(threads().workerData as WorkerJob);
} else {
  // A run is short and mostly cold: TurboFan compiles the reader's and the checks' loops while
  // they run (on-stack), and with V8's default inlining budget it inlines the checks into the walk
  // of an interfaces file, a compile of 60-270 ms during which the walk runs unoptimized. With a
  // small budget each function is compiled on its own, sooner: alternated runs at load 4-6 gave
  // 509 -> 436-462 ms (interfaces 20,000 stanzas, budgets 0 to 300), sxp 20,000 532 -> 426 ms,
  // domain 300,000 1077 -> 1001 ms (medians, docs/benchmarks.md). The flag is the process's (its
  // worker threads' too); the language server, which runs for hours, keeps V8's default. (The bin
  // sets it before compiling the bundle, server/bin/code-cache.js CLI_V8_FLAGS: the code cache is
  // taken only under the flags it was made with; this is for a run of dist/cli.js without the bin.)
  setFlagsFromString('--max-inlined-bytecode-size-cumulative=100');
  const stdout = writer(1);
  const stderr = writer(2);
  const internal = (e: unknown): number => {
    stderr(`${NAME}: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 2;
  };
  main(process.argv.slice(2), stdout, stderr).then(
    (status) => exitWhenWritten(status),
    (e) => exitWhenWritten(internal(e)),
  );
}

/**
 * Ends the run with process.exit once everything is written (write(2) has written it; a stream
 * writer() fell back to, at its 'drain'), rather than by letting the event loop run dry: that
 * natural end disposes of the JavaScript heap page by page (hundreds of munmap calls after the
 * last line is printed: 50-130 ms of a run over a 10 MB file), which process.exit skips. A stream
 * that fails instead leaves the run to end naturally, with its status set.
 */
function exitWhenWritten(status: number): void {
  process.exitCode = status;
  // (not process.stdout itself when unused: its getter loads Node's streams)
  const waiting = streamsInUse.filter((s) => s.writableLength > 0);
  if (waiting.length === 0) process.exit(status);
  let left = waiting.length;
  for (const s of waiting) s.once('drain', () => --left === 0 && process.exit(status));
}
