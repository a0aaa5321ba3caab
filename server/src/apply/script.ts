// The apply script: a POSIX sh script, generated from the files to write and the commands the
// setup needs, that changes a host safely.
//
// What it does, in order:
//  1. checks its tools; for each file, decodes the new content into a temporary file in the same
//     folder (a copy of the old file first, so owner and mode are kept) and compares it with the
//     current one: equal files are left alone;
//  2. asks each command whether its effect is there already (module loaded, interface up and its
//     stanza unchanged, xend's config unchanged); with no file to change and no command to run it
//     says "nothing to change" and exits 10;
//  3. takes the gateway interface down when it must restart (ifdown before the files change, so
//     that it undoes what the old settings did);
//  4. backs every file that changes up to BACKUP_ROOT/<date>-<pid>/<its path> (written under a
//     temporary name, then renamed: a backup is whole or absent), then moves the new file over it
//     (rename in the same folder: at every moment the file is whole, old or new);
//  5. runs the commands (modprobe, ifup, xend restart, sysctl -p after saving each key's value,
//     notes);
//  6. on any failure, or on HUP/INT/TERM/PIPE (a dropped connection, Ctrl-C) before the end,
//     puts every changed file back from its backup (again by rename), removes the files it
//     created, undoes the commands that had run (ifdown/ifup with the old files, xend restarted,
//     each sysctl key set back to its saved value, a module it loaded unloaded) and exits 11
//     (12 when something could not be put back). Exit statuses: ApplyExit below.
//  7. with a confirm-or-revert window (confirmSeconds > 0), once every command succeeded: a
//     waiter left running on the host puts everything back as in 6 unless a fresh connection
//     creates /tmp/xen-apply-<run id>/confirmed within the window (runner.ts makes it), and the
//     script exits 14 (Pending); without a window it commits at once: signals are ignored from
//     then on and it exits 0.
// Before step 1, when the plan carries the hash of each file as the host had it when it was read
// for review (sha256, or absent), a file that differs now stops the run before anything changes:
// exit 15.
// One apply at a time: before step 1 it takes a lock with flock(1) on a lock file next to the
// backups; the kernel releases it when the run (or its waiter) ends, however it ends. A second run
// while it is held changes nothing and exits 13. The commands the script runs do not inherit the
// lock (a daemon xend starts must not hold it). Temporary files are only cleaned under the lock:
// any found then are a dead run's.
// Every value (paths, names, the host's label) is single-quoted, and progress lines show values
// with control characters escaped, so no name can run a command or fake a line.
import { displayValue, pathProblems, shQuote } from './quote';
import { interfaceNameProblem } from '../core/network';

/**
 * Exit statuses of the apply script. They stay clear of what the tools around it return: ssh 255
 * (could not connect or log in), sudo 1 (wrong password, not allowed), sh 2 and 126/127, a signal
 * 128+n.
 */
export const ApplyExit = {
  /** Changes were made and every command succeeded. */
  Applied: 0,
  /** Every file was already as asked and no command was needed. */
  NothingToChange: 10,
  /** Something failed or the script was interrupted; the host is as it was before. */
  FailedRestored: 11,
  /** Something failed and not everything could be put back: read the transcript. */
  FailedNotRestored: 12,
  /** Another apply was running on the host: this one changed nothing. */
  Busy: 13,
  /** Applied; the host goes back as it was unless a new connection confirms in time (the runner does). */
  Pending: 14,
  /** A file on the host is not what was read for review: nothing was changed. */
  ChangedSinceReview: 15,
  /** No confirmation reached the host in time: it went (or goes) back as it was. */
  NotConfirmed: 16,
  /** The script could not be stored on the host (runner.ts): nothing was changed. */
  NotSent: 17,
} as const;
export type ApplyExitCode = (typeof ApplyExit)[keyof typeof ApplyExit];

/** What an exit status of the script (or of ssh running it) means, in plain words. */
export function describeApplyExit(code: number | null): string {
  switch (code) {
    case ApplyExit.Applied:
      return 'applied: the host now has the new setup';
    case ApplyExit.NothingToChange:
      return 'nothing to change: the host has this setup already';
    case ApplyExit.FailedRestored:
      return 'failed: nothing was changed on the host (or every change was undone)';
    case ApplyExit.FailedNotRestored:
      return 'failed, and some changes could not be undone: read the lines above';
    case ApplyExit.Busy:
      return 'another apply to this host was running (or waits for its confirmation): nothing was changed; apply again once it has ended';
    case ApplyExit.Pending:
      return 'applied, waiting for a confirmation: without one the host goes back as it was';
    case ApplyExit.ChangedSinceReview:
      return 'a file on the host changed after it was read for the diff: nothing was changed; apply again to review the new diff';
    case ApplyExit.NotConfirmed:
      return 'applied, but no confirmation reached the host over a new connection: it went back (or goes back when its window ends) as it was';
    case ApplyExit.NotSent:
      return 'the script could not be stored on the host (its /tmp): nothing was changed';
    case 1:
      return 'the script did not start (a wrong sudo password, or sudo not allowed): nothing was changed';
    case 2:
      return 'the shell on the host could not read the script: nothing was changed';
    case 126:
    case 127:
      return 'a program the script needs to start (sh, base64, gzip or sudo) is missing on the host: nothing was changed';
    case 255:
      return 'ssh could not connect or log in';
    case null:
      return 'ssh was stopped before the script finished';
    default:
      return code > 128 && code < 160
        ? `the script was killed (signal ${code - 128}): each file is whole, old or new; apply again to finish`
        : `unexpected exit status ${code}`;
  }
}

export interface FileToWrite {
  /** Absolute path on the host, e.g. /etc/network/interfaces. */
  path: string;
  /** The new content (text is written as UTF-8). */
  content: string | Uint8Array;
  /**
   * What the host's file must be before anything changes: the sha256 (hex) of the bytes read for
   * review, or 'absent'. Unset: not checked (nothing was read).
   */
  expect?: string;
}

export type ApplyCommand =
  /** modprobe MODULE unless it is loaded (/sys/module/MODULE or /proc/modules). */
  | { kind: 'load-module'; module: string }
  /**
   * ifup NAME when it is not up (ifupdown's state, `ifquery --state`); when it is up and one of
   * `restartIfChanged` changed: ifdown NAME, then ifup NAME. Up and unchanged: nothing.
   */
  | { kind: 'interface-up'; name: string; restartIfChanged: string[] }
  /** /etc/init.d/xend restart, when one of `ifChanged` changed. */
  | { kind: 'restart-xend'; ifChanged: string[] }
  /** Prints `text` when one of `ifChanged` changed (e.g. what xl does with a new xl.conf). */
  | { kind: 'note'; text: string; ifChanged: string[] }
  /**
   * sysctl -p FILE when FILE changed (IP forwarding for a routed host under xl). The value of each
   * of `keys` (the keys the new file sets) is saved first; the undo sets each back.
   */
  | { kind: 'sysctl'; file: string; keys: string[] };

export interface ApplyPlan {
  /** What the progress lines call the host (its name in xen.hosts). */
  hostLabel: string;
  files: FileToWrite[];
  commands: ApplyCommand[];
  /** Where backups go; default /var/backups/xen-network. A run's backups: <root>/<date>-<pid>/<path>. */
  backupRoot?: string;
  /** The lock file that keeps applies one at a time (flock); default <backupRoot>/.apply.lock. */
  lockPath?: string;
  /** The run's id (32 hex digits, runner.ts): its folder on the host is /tmp/xen-apply-<id>. */
  runId?: string;
  /** The confirm-or-revert window in seconds (needs runId); 0 or unset: none, the change stays at once. */
  confirmSeconds?: number;
}

/** The folder of a run on the host (the stored script, the confirmation). */
export function runDirOf(runId: string): string {
  return `/tmp/xen-apply-${runId}`;
}

/** Every line the script prints starts with this. */
export const PROGRESS_PREFIX = 'xen-apply:';

const MODULE_RE = /^[A-Za-z0-9_-]{1,64}$/;
const SYSCTL_KEY_RE = /^[A-Za-z0-9_][A-Za-z0-9_.:@+-]{0,200}$/;
const RUN_ID_RE = /^[0-9a-f]{8,64}$/;
const SHA256_RE = /^[0-9a-f]{64}$/;

/** Problems with a plan, in plain words; [] when the script can be generated. */
export function planProblems(plan: ApplyPlan): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const f of plan.files) {
    out.push(...pathProblems(f.path, 'a file to write'));
    if (seen.has(f.path)) out.push(`${displayValue(f.path)} is listed twice`);
    if (f.expect !== undefined && f.expect !== 'absent' && !SHA256_RE.test(f.expect))
      out.push(`the expected state of ${displayValue(f.path)} is neither a sha256 nor 'absent'`);
    seen.add(f.path);
  }
  if (plan.hostLabel.includes('\0')) out.push('the host name holds a NUL character');
  if (plan.backupRoot !== undefined) out.push(...pathProblems(plan.backupRoot, 'the backup folder'));
  if (plan.lockPath !== undefined) out.push(...pathProblems(plan.lockPath, 'the lock file'));
  if (plan.runId !== undefined && !RUN_ID_RE.test(plan.runId)) out.push('the run id must be 8 to 64 lowercase hex digits');
  if (plan.confirmSeconds !== undefined) {
    if (!Number.isInteger(plan.confirmSeconds) || plan.confirmSeconds < 0 || plan.confirmSeconds > 3600)
      out.push('the confirmation window must be a whole number of seconds from 0 to 3600');
    else if (plan.confirmSeconds > 0 && plan.runId === undefined) out.push('a confirmation window needs a run id (the folder the confirmation is written to)');
  }
  for (const c of plan.commands) {
    if (c.kind === 'load-module' && !MODULE_RE.test(c.module)) out.push(`not a kernel module name: ${displayValue(c.module)}`);
    if (c.kind === 'interface-up') {
      // the network rule of what an interface name is (core/network), taken literally (no spaces
      // trimmed), and never a leading '-', which ifup and ip would read as an option
      if (c.name !== c.name.trim() || interfaceNameProblem(c.name) !== undefined || c.name.startsWith('-')) {
        out.push(`not an interface name: ${displayValue(c.name)}`);
      }
    }
    if (c.kind === 'note' && c.text.includes('\0')) out.push('a note holds a NUL character');
    if (c.kind === 'sysctl') {
      out.push(...pathProblems(c.file, 'a sysctl file'));
      for (const k of c.keys) if (!SYSCTL_KEY_RE.test(k)) out.push(`not a sysctl key: ${displayValue(k)}`);
    }
  }
  return out;
}

function bytesOf(c: string | Uint8Array): Buffer {
  return typeof c === 'string' ? Buffer.from(c, 'utf8') : Buffer.from(c);
}

function base64Lines(b: Buffer): string[] {
  const s = b.toString('base64');
  const out: string[] = [];
  for (let i = 0; i < s.length; i += 76) out.push(s.slice(i, i + 76));
  return out;
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}
function baseOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** A say call: words are plain text of ours, values are shown escaped and passed quoted. */
function say(...parts: Array<string | { v: string }>): string {
  return 'say ' + parts.map((p) => (typeof p === 'string' ? shQuote(p) : shQuote(displayValue(p.v)))).join(' ');
}

/** Generates the script. Throws with plain words when the plan has problems (see planProblems). */
export function buildApplyScript(plan: ApplyPlan): string {
  const problems = planProblems(plan);
  if (problems.length) throw new Error(problems.join('; '));
  const backupRoot = plan.backupRoot ?? '/var/backups/xen-network';
  const n = plan.files.length;
  const L: string[] = [];
  const push = (...lines: string[]): void => {
    L.push(...lines);
  };

  push(
    '#!/bin/sh',
    '# xen-network: apply a setup to this host (generated; run with sh).',
    `# Exit status: ${ApplyExit.Applied} applied, ${ApplyExit.NothingToChange} nothing to change, ${ApplyExit.FailedRestored} failed and nothing left changed,`,
    `# ${ApplyExit.FailedNotRestored} failed and not all undone, ${ApplyExit.Busy} another apply was running (nothing changed),`,
    `# ${ApplyExit.Pending} applied and waiting for a confirmation, ${ApplyExit.ChangedSinceReview} a file changed after it was read for review (nothing changed).`,
    '# Every single-quoted value below is meant literally (file names, host names):',
    '# shellcheck disable=SC2016',
    'set -u',
    'umask 022',
    'LC_ALL=C; export LC_ALL',
    // (one write per line: a progress line is never split by another program's output)
    `say() { m=${shQuote(PROGRESS_PREFIX)}; for a in "$@"; do m="$m $a"; done; printf '%s\\n' "$m"; }`,
    `BACKUP_ROOT=${shQuote(backupRoot)}`,
    'STAMP=$(date +%Y%m%d-%H%M%S 2>/dev/null) || STAMP=run',
    'BACKUP_DIR="$BACKUP_ROOT/$STAMP-$$"',
    plan.lockPath === undefined ? 'LOCK="$BACKUP_ROOT/.apply.lock"' : `LOCK=${shQuote(plan.lockPath)}`,
    ...(plan.runId === undefined ? [] : [`RUN_DIR=${shQuote(runDirOf(plan.runId))}`]),
    'phase=prepare',
    "changed=0; created=0; ran=0; backed=0; stale=0; part=''",
    ...(plan.runId === undefined ? [] : ['pending=0']),
  );
  const confirmSeconds = plan.runId !== undefined ? (plan.confirmSeconds ?? 0) : 0;
  const expects = plan.files.some((f) => f.expect !== undefined);

  // per-file state: tI temp file (empty: none), eI existed, cI differs, wI moved in place
  for (let i = 0; i < n; i++) push(`t${i}=''; e${i}=0; c${i}=0; w${i}=0`);

  // cleanup of temporary files on any exit
  push('cleanup() {');
  for (let i = 0; i < n; i++) push(`  if [ -n "$t${i}" ]; then rm -f -- "$t${i}"; t${i}=''; fi`);
  push(
    '  if [ -n "$part" ]; then rm -f -- "$part"; part=\'\'; fi',
    ...(plan.runId === undefined
      ? []
      : [
          "  # (the run's folder on the host goes with the run, unless a confirmation is awaited there)",
          '  if [ "$pending" = 0 ] && [ -d "$RUN_DIR" ]; then rm -rf -- "$RUN_DIR"; fi',
        ]),
    '  # (the lock is a flock on fd 9: the kernel releases it when the last process holding it ends)',
    '}',
  );

  // the lock: one apply at a time on a host (flock(1): released by the kernel however the run ends)
  push(
    'lock() {',
    '  if [ ! -d "${LOCK%/*}" ]; then mkdir -p -- "${LOCK%/*}" 2>/dev/null || return 2; fi',
    '  if ! ( : >> "$LOCK" ) 2>/dev/null; then return 2; fi',
    '  exec 9>> "$LOCK"',
    '  if flock -n 9; then return 0; fi',
    '  exec 9>&-',
    '  return 1',
    '}',
  );

  // files
  plan.files.forEach((f, i) => {
    const P = shQuote(f.path);
    const D = shQuote(dirOf(f.path));
    const tmpBase = shQuote(`${dirOf(f.path) === '/' ? '' : dirOf(f.path)}/.${baseOf(f.path)}.xen-new.`);
    const resBase = shQuote(`${dirOf(f.path) === '/' ? '' : dirOf(f.path)}/.${baseOf(f.path)}.xen-restore.`);
    const shown = { v: f.path };
    push(
      `prepare${i}() {`,
      `  if [ ! -d ${D} ]; then ${say('error: the folder of', shown, 'does not exist on the host')}; return 1; fi`,
      `  if [ -L ${P} ]; then ${say('error:', shown, 'is a symbolic link: not changed (write the file it points to instead)')}; return 1; fi`,
      `  if [ -e ${P} ] && [ ! -f ${P} ]; then ${say('error:', shown, 'exists and is not a regular file')}; return 1; fi`,
      ...(f.expect === undefined
        ? []
        : [
            `  if [ -e ${P} ]; then h=$(sha256sum < ${P}) || h=unreadable; h=\${h%% *}; else h=absent; fi`,
            `  if [ "$h" != ${shQuote(f.expect)} ]; then`,
            `    ${say('error:', shown, `changed on the host after it was read for review (then: ${f.expect === 'absent' ? 'absent' : 'sha256 ' + f.expect.slice(0, 12) + '…'}; now:`)} "$h)"`,
            '    stale=1; return 0',
            '  fi',
          ]),
      `  for s in ${tmpBase}* ${resBase}*; do if [ -f "$s" ]; then rm -f -- "$s"; fi; done # left by a run that died (the lock is held: no live run has any)`,
      `  t${i}=${tmpBase}"$$"`,
      `  if [ -f ${P} ]; then`,
      `    e${i}=1`,
      `    cp -p -- ${P} "$t${i}" || { ${say('error: cannot copy', shown, '(is the disk full, or is this not root?)')}; return 1; }`,
      '  fi',
      `  base64 -d > "$t${i}" <<'XEN_APPLY_DATA' || { ${say('error: cannot write a temporary file next to', shown)}; return 1; }`,
      ...base64Lines(bytesOf(f.content)),
      'XEN_APPLY_DATA',
      `  if [ "$e${i}" = 1 ] && cmp -s -- "$t${i}" ${P}; then`,
      `    rm -f -- "$t${i}"; t${i}=''`,
      `    ${say('unchanged:', shown)}`,
      `  elif [ "$e${i}" = 1 ]; then`,
      `    c${i}=1; ${say('will change:', shown)}`,
      '  else',
      `    c${i}=1; ${say('will create:', shown)}`,
      '  fi',
      '  return 0',
      '}',
      `write${i}() {`,
      `  if [ "$e${i}" = 1 ]; then`,
      `    mkdir -p -- "$BACKUP_DIR"${D} || { ${say('error: cannot make the backup folder', { v: backupRoot })}; return 1; }`,
      '    # (written under a temporary name, then renamed: a backup is whole or absent)',
      `    part="$BACKUP_DIR"${shQuote(f.path + '.xen-part')}`,
      `    if ! { cp -p -- ${P} "$part" && mv -f -- "$part" "$BACKUP_DIR"${P}; }; then ${say('error: cannot back up', shown)}; return 1; fi`,
      "    part=''",
      `    backed=$((backed + 1))`,
      `    ${say('backed up:', shown)}`,
      '  fi',
      `  w${i}=1`,
      `  mv -f -- "$t${i}" ${P} || { ${say('error: cannot move the new file in place:', shown)}; return 1; }`,
      `  t${i}=''`,
      `  changed=$((changed + 1))`,
      `  if [ "$e${i}" = 1 ]; then ${say('wrote:', shown)}; else created=$((created + 1)); ${say('created:', shown)}; fi`,
      '  return 0',
      '}',
      `restore${i}() {`,
      `  if [ "$e${i}" = 1 ]; then`,
      `    r=${resBase}"$$"`,
      `    if cp -p -- "$BACKUP_DIR"${P} "$r" && mv -f -- "$r" ${P}; then ${say('restored:', shown)}; return 0; fi`,
      `    rm -f -- "$r"`,
      `    ${say('error: could not put back', shown, '- its old content is in', { v: backupRoot }, "(this run's folder)")}`,
      '    return 1',
      '  fi',
      `  if rm -f -- ${P}; then ${say('removed (it did not exist before):', shown)}; return 0; fi`,
      `  ${say('error: could not remove', shown)}`,
      '  return 1',
      '}',
    );
  });

  // commands: need (decide), run, undo (after files are back)
  const changedTest = (paths: string[]): string => {
    const idx = paths.map((p) => plan.files.findIndex((f) => f.path === p)).filter((i) => i >= 0);
    if (idx.length === 0) return 'false';
    return idx.map((i) => `[ "$c${i}" = 1 ]`).join(' || ');
  };
  plan.commands.forEach((c, k) => {
    push(`n${k}=0; r${k}=0`);
    switch (c.kind) {
      case 'load-module': {
        const M = shQuote(c.module);
        const shown = { v: c.module };
        push(
          `loaded${k}() { [ -d ${shQuote(`/sys/module/${c.module}`)} ] || grep -q ${shQuote(`^${c.module} `)} /proc/modules 2>/dev/null; }`,
          `need${k}() {`,
          `  if loaded${k}; then ${say('module', shown, 'is loaded already')}; else n${k}=1; ${say('will load the module', shown)}; fi`,
          '}',
          `run${k}() {`,
          `  ${say('running: modprobe', shown)}`,
          `  if modprobe -- ${M} </dev/null 9>&-; then r${k}=1; return 0; fi`,
          `  if loaded${k}; then r${k}=1; fi`,
          `  ${say('error: modprobe', shown, 'failed')}`,
          '  return 1',
          '}',
          // (run only when the module was not loaded before: need said so)
          `undo${k}() {`,
          `  ${say('undoing: modprobe -r', shown, '(this apply loaded it)')}`,
          `  if modprobe -r -- ${M} </dev/null 9>&-; then ${say('unloaded the module', shown)}; return 0; fi`,
          `  ${say('error: could not unload the module', shown, '- it stays loaded, though it was not before this apply')}`,
          '  return 1',
          '}',
        );
        break;
      }
      case 'interface-up': {
        const N = shQuote(c.name);
        const shown = { v: c.name };
        const chg = changedTest(c.restartIfChanged);
        push(
          `up${k}=0`,
          `need${k}() {`,
          `  if ifquery --state -- ${N} >/dev/null 2>&1; then up${k}=1; fi`,
          `  if [ "$up${k}" = 0 ]; then n${k}=1; ${say('will bring up', shown, '(ifup)')}`,
          `  elif ${chg}; then n${k}=1; ${say('will restart', shown, 'to apply its new settings (ifdown, ifup)')}`,
          `  else ${say('interface', shown, 'is up and its settings are unchanged')}; fi`,
          '}',
          // ifdown runs before the files change: it must undo what the old settings did
          `pre${k}() {`,
          `  if [ "$up${k}" = 1 ]; then`,
          `    r${k}=1`,
          `    ${say('running: ifdown', shown, '(with its current settings)')}`,
          `    ifdown -- ${N} </dev/null 9>&- || { ${say('error: ifdown', shown, 'failed')}; return 1; }`,
          '  fi',
          '  return 0',
          '}',
          `run${k}() {`,
          `  r${k}=1`,
          `  ${say('running: ifup', shown)}`,
          `  ifup -- ${N} </dev/null 9>&- || { ${say('error: ifup', shown, 'failed')}; return 1; }`,
          `  ifquery --state -- ${N} >/dev/null 2>&1 || { ${say('error:', shown, 'is not up after ifup')}; return 1; }`,
          '}',
          `undo${k}() {`,
          `  ${say('undoing: ifdown', shown)}`,
          `  ifdown --force -- ${N} </dev/null >/dev/null 2>&1 9>&-`,
          `  ip addr flush dev ${N} </dev/null >/dev/null 2>&1 9>&-`,
          `  if [ "$up${k}" = 1 ]; then`,
          `    ${say('undoing: ifup', shown, 'with its old settings')}`,
          `    ifup -- ${N} </dev/null 9>&- || { ${say('error: ifup', shown, 'failed with the old settings')}; return 1; }`,
          '  fi',
          '  return 0',
          '}',
        );
        break;
      }
      case 'restart-xend': {
        const chg = changedTest(c.ifChanged);
        push(
          `need${k}() {`,
          `  if ${chg}; then n${k}=1; ${say('will restart xend (its configuration changes)')}; fi`,
          '  return 0',
          '}',
          `run${k}() {`,
          `  if [ ! -x /etc/init.d/xend ]; then ${say('error: /etc/init.d/xend is missing: is this a xend (xm) host? For xl, set the toolstack to xl')}; return 1; fi`,
          `  r${k}=1`,
          `  ${say('running: /etc/init.d/xend restart')}`,
          `  /etc/init.d/xend restart </dev/null 9>&- || { ${say('error: /etc/init.d/xend restart failed')}; return 1; }`,
          '}',
          `undo${k}() {`,
          `  ${say('undoing: /etc/init.d/xend restart with the old configuration')}`,
          `  /etc/init.d/xend restart </dev/null 9>&- || { ${say('error: xend did not restart with the old configuration')}; return 1; }`,
          '}',
        );
        break;
      }
      case 'sysctl': {
        const chg = changedTest([c.file]);
        const F = shQuote(c.file);
        const shown = { v: c.file };
        // each key's value before the change (h: it had one), set back by the undo
        const keys = c.keys.map((key, j) => ({ key, v: `v${k}_${j}`, h: `h${k}_${j}` }));
        push(
          ...keys.map((x) => `${x.v}=''; ${x.h}=0`),
          `need${k}() {`,
          `  if ${chg}; then n${k}=1; ${say('will load', shown, 'with sysctl -p (it changes)')}; fi`,
          '  return 0',
          '}',
          `run${k}() {`,
          ...keys.map((x) => `  if ${x.v}=$(sysctl -n ${shQuote(x.key)} 2>/dev/null </dev/null); then ${x.h}=1; fi`),
          `  r${k}=1`,
          `  ${say('running: sysctl -p', shown)}`,
          `  sysctl -p ${F} </dev/null 9>&- || { ${say('error: sysctl -p', shown, 'failed')}; return 1; }`,
          '}',
          `undo${k}() {`,
          '  u=0',
          ...keys.map(
            (x) =>
              `  if [ "$${x.h}" = 1 ]; then if sysctl -q -w ${shQuote(x.key + '=')}"$${x.v}" </dev/null >/dev/null 9>&-; then ${say('set back:', { v: x.key })} "= $${x.v}"; else ${say('error: could not set back', { v: x.key })} "to $${x.v}"; u=1; fi; fi`,
          ),
          '  return $u',
          '}',
        );
        break;
      }
      case 'note': {
        const chg = changedTest(c.ifChanged);
        push(`need${k}() { :; }`, `run${k}() { :; }`, `undo${k}() { :; }`, `note${k}() { if ${chg}; then ${say('note:', { v: c.text })}; fi; }`);
        break;
      }
    }
  });

  // rollback: files in reverse order, then the commands that ran, in reverse order
  push('rollback() {', '  bad=0');
  for (let i = n - 1; i >= 0; i--) push(`  if [ "$w${i}" = 1 ]; then restore${i} || bad=1; fi`);
  for (let k = plan.commands.length - 1; k >= 0; k--) push(`  if [ "$r${k}" = 1 ]; then undo${k} || bad=1; fi`);
  push('  return $bad', '}');

  push(
    'fail() {',
    "  trap '' HUP INT TERM PIPE",
    '  if [ "$phase" = prepare ]; then',
    `    ${say('failed before changing anything:')} "$1"`,
    '    cleanup',
    `    ${say('result: failed (nothing was changed)')}`,
    `    exit ${ApplyExit.FailedRestored}`,
    '  fi',
    `  ${say('failed:')} "$1"`,
    `  ${say('undoing the changes')}`,
    '  if rollback; then',
    '    cleanup',
    `    ${say('result: failed (every change was undone; backups stay in')} "$BACKUP_DIR)"`,
    `    exit ${ApplyExit.FailedRestored}`,
    '  fi',
    '  cleanup',
    `  ${say('result: failed and NOT everything was undone (backups in')} "$BACKUP_DIR)"`,
    `  exit ${ApplyExit.FailedNotRestored}`,
    '}',
    'trap \'fail "interrupted (hang-up, Ctrl-C or termination)"\' HUP INT TERM',
    'trap \'fail "the connection was lost (broken pipe)"\' PIPE',
    'trap cleanup EXIT',
  );

  // main
  push(`${say('applying to', { v: plan.hostLabel })} "(${n} file(s), ${plan.commands.length} command(s))"`);
  if (plan.runId !== undefined) {
    push('# the stored script is read by this sh already: its file goes at once', 'if [ -f "$RUN_DIR/script" ]; then rm -f -- "$RUN_DIR/script"; fi');
    if (confirmSeconds > 0) push('if [ ! -d "$RUN_DIR" ]; then mkdir -m 700 -- "$RUN_DIR" || fail "cannot make $RUN_DIR for the confirmation"; fi');
  }
  push(
    `for tool in base64 cmp cp mv mkdir rm date flock${expects ? ' sha256sum' : ''}; do`,
    `  command -v "$tool" >/dev/null 2>&1 || fail "the command $tool is missing on the host"`,
    'done',
    `[ "$(id -u 2>/dev/null)" = 0 ] || ${say('warning: not running as root: writing to /etc will likely fail (set "sudo": true for this host)')}`,
    'lock; held=$?',
    'if [ "$held" = 1 ]; then',
    `  ${say('error: another apply to this host is running (or waits for its confirmation); it holds the lock on')} "$LOCK"`,
    `  ${say('result: busy (nothing was changed)')}`,
    `  exit ${ApplyExit.Busy}`,
    'fi',
    'if [ "$held" = 2 ]; then fail "cannot make the lock file $LOCK (is this not root?)"; fi',
  );
  for (let i = 0; i < n; i++) push(`prepare${i} || fail ${shQuote(`could not prepare ${displayValue(plan.files[i].path)}`)}`);
  push(
    'if [ "$stale" = 1 ]; then',
    '  cleanup',
    `  ${say('result: stopped, nothing was changed: a file on the host is not what was read for review (apply again to see the new diff)')}`,
    `  exit ${ApplyExit.ChangedSinceReview}`,
    'fi',
  );
  plan.commands.forEach((_c, k) => push(`need${k}`));
  const anyChange = [...plan.files.map((_f, i) => `[ "$c${i}" = 1 ]`), ...plan.commands.map((_c, k) => `[ "$n${k}" = 1 ]`)];
  push(
    `if ! { ${anyChange.length ? anyChange.join(' || ') : 'false'}; }; then`,
    '  cleanup',
    `  ${say('result: nothing to change (the host has this setup already)')}`,
    `  exit ${ApplyExit.NothingToChange}`,
    'fi',
    'phase=change',
    '# the new contents reach the disk before any rename, so a crash cannot leave an empty file in place',
    'sync',
  );
  plan.commands.forEach((c, k) => {
    if (c.kind === 'interface-up') push(`if [ "$n${k}" = 1 ]; then pre${k} || fail ${shQuote(`taking ${displayValue(c.name)} down failed`)}; fi`);
  });
  for (let i = 0; i < n; i++) push(`if [ "$c${i}" = 1 ]; then write${i} || fail ${shQuote(`could not write ${displayValue(plan.files[i].path)}`)}; fi`);
  plan.commands.forEach((c, k) => {
    const what =
      c.kind === 'load-module'
        ? `modprobe ${c.module}`
        : c.kind === 'interface-up'
          ? `bringing up ${c.name}`
          : c.kind === 'restart-xend'
            ? 'restarting xend'
            : c.kind === 'sysctl'
              ? `sysctl -p ${c.file}`
              : 'a note';
    push(`if [ "$n${k}" = 1 ]; then run${k} || fail ${shQuote(displayValue(what) + ' failed')}; ran=$((ran + 1)); fi`);
  });
  // commit: from here on the changes stay, whatever happens to the connection
  push("trap '' HUP INT TERM PIPE", 'phase=committed');
  plan.commands.forEach((c, k) => {
    if (c.kind === 'note') push(`note${k}`);
  });
  push(`if [ "$backed" -gt 0 ]; then ${say('backups of the old files are in')} "$BACKUP_DIR"; fi`);
  if (confirmSeconds > 0) {
    // the confirm-or-revert window: a waiter that outlives this session (HUP ignored, no terminal,
    // the lock's fd kept) undoes everything unless RUN_DIR/confirmed appears in time
    push(
      'confirm_wait() {',
      "  trap '' HUP INT TERM PIPE",
      '  log="$BACKUP_ROOT/$STAMP-$$.confirm.log"',
      '  if ( : >> "$log" ) 2>/dev/null; then exec >> "$log" 2>&1; else exec > /dev/null 2>&1; fi',
      `  ${say(`waiting up to ${confirmSeconds} s for a confirmation in`)} "$RUN_DIR"`,
      `  end=$(($(date +%s) + ${confirmSeconds}))`,
      '  while [ "$(date +%s)" -lt "$end" ]; do',
      `    if [ -e "$RUN_DIR/confirmed" ]; then touch -- "$RUN_DIR/kept"; ${say('confirmed: the change stays')}; return 0; fi`,
      '    sleep 1',
      '  done',
      '  if [ -e "$RUN_DIR/confirmed" ]; then touch -- "$RUN_DIR/kept"; ' + say('confirmed: the change stays') + '; return 0; fi',
      `  ${say(`no confirmation within ${confirmSeconds} s: undoing the changes`)}`,
      '  if rollback; then',
      `    ${say('result: not confirmed, every change was undone')}`,
      '    touch -- "$RUN_DIR/reverted"',
      '  else',
      `    ${say('result: not confirmed, and NOT everything was undone (backups in')} "$BACKUP_DIR)"`,
      '    touch -- "$RUN_DIR/revert-failed"',
      '  fi',
      '  exec 9>&-',
      '  # (the answer stays a while for a late confirmation to read, then the folder goes)',
      '  sleep 30',
      '  rm -rf -- "$RUN_DIR"',
      '}',
      `${say(`applied; this host goes back as it was in ${confirmSeconds} s unless the change is confirmed (the editor asks for it now: a new ssh connection for Apply to Host, keep typed in the terminal for Apply Here; by hand: touch`)} "$RUN_DIR/confirmed)"`,
      'pending=1',
      '( confirm_wait ) < /dev/null > /dev/null 2>&1 &',
      `${say('result: applied, waiting for the confirmation')} "($changed file(s) written, $created of them new, $ran command(s) run)"`,
      `exit ${ApplyExit.Pending}`,
      '',
    );
    return L.join('\n');
  }
  push(`${say('result: applied')} "($changed file(s) written, $created of them new, $ran command(s) run)"`, 'exit 0', '');
  return L.join('\n');
}
