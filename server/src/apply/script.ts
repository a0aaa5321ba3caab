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
//  4. backs every file that changes up to BACKUP_ROOT/<date>-<pid>/<its path>, then moves the new
//     file over it (rename in the same folder: at every moment the file is whole, old or new);
//  5. runs the commands (modprobe, ifup, xend restart, notes);
//  6. on any failure, or on HUP/INT/TERM/PIPE (a dropped connection, Ctrl-C) before the end,
//     puts every changed file back from its backup (again by rename), removes the files it
//     created, re-runs the commands that had run so they pick up the old files, and exits 11
//     (12 when something could not be put back). Exit statuses: ApplyExit below. Once all commands succeeded, it commits: from
//     then on signals are ignored and it exits 0.
// One apply at a time: before step 1 it takes a lock (a folder made with mkdir, which only one
// process can make, next to the backups, naming its pid and the boot); a second run while the
// first holds it changes nothing and exits 13. A lock whose run is gone (killed, or from before a
// reboot) is taken over.
// Every value (paths, names, the host's label) is single-quoted, and progress lines show values
// with control characters escaped, so no name can run a command or fake a line.
import { displayValue, pathProblems, shQuote } from './quote';

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
      return 'another apply to this host was running: nothing was changed; apply again once it has ended';
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
  /** sysctl -p FILE when FILE changed (IP forwarding for a routed host under xl); undone by loading the old file again. */
  | { kind: 'sysctl'; file: string };

export interface ApplyPlan {
  /** What the progress lines call the host (its name in xen.hosts). */
  hostLabel: string;
  files: FileToWrite[];
  commands: ApplyCommand[];
  /** Where backups go; default /var/backups/xen-network. A run's backups: <root>/<date>-<pid>/<path>. */
  backupRoot?: string;
  /** The lock folder that keeps applies one at a time; default <backupRoot>/.apply-lock. */
  lockPath?: string;
}

/** Every line the script prints starts with this. */
export const PROGRESS_PREFIX = 'xen-apply:';

const MODULE_RE = /^[A-Za-z0-9_-]{1,64}$/;

/** Problems with a plan, in plain words; [] when the script can be generated. */
export function planProblems(plan: ApplyPlan): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const f of plan.files) {
    out.push(...pathProblems(f.path, 'a file to write'));
    if (seen.has(f.path)) out.push(`${displayValue(f.path)} is listed twice`);
    seen.add(f.path);
  }
  if (plan.hostLabel.includes('\0')) out.push('the host name holds a NUL character');
  if (plan.backupRoot !== undefined) out.push(...pathProblems(plan.backupRoot, 'the backup folder'));
  if (plan.lockPath !== undefined) out.push(...pathProblems(plan.lockPath, 'the lock folder'));
  for (const c of plan.commands) {
    if (c.kind === 'load-module' && !MODULE_RE.test(c.module)) out.push(`not a kernel module name: ${displayValue(c.module)}`);
    if (c.kind === 'interface-up') {
      // ifupdown's own limits: a kernel name is at most 15 bytes; / and whitespace never occur
      if (c.name === '' || c.name.length > 15 || /[\s/\0]/.test(c.name) || c.name.startsWith('-')) {
        out.push(`not an interface name: ${displayValue(c.name)}`);
      }
    }
    if (c.kind === 'note' && c.text.includes('\0')) out.push('a note holds a NUL character');
    if (c.kind === 'sysctl') out.push(...pathProblems(c.file, 'a sysctl file'));
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
    `# ${ApplyExit.FailedNotRestored} failed and not all undone, ${ApplyExit.Busy} another apply was running (nothing changed).`,
    '# Every single-quoted value below is meant literally (file names, host names):',
    '# shellcheck disable=SC2016',
    'set -u',
    'umask 022',
    'LC_ALL=C; export LC_ALL',
    `say() { printf '%s' ${shQuote(PROGRESS_PREFIX)}; printf ' %s' "$@"; printf '\\n'; }`,
    `BACKUP_ROOT=${shQuote(backupRoot)}`,
    'STAMP=$(date +%Y%m%d-%H%M%S 2>/dev/null) || STAMP=run',
    'BACKUP_DIR="$BACKUP_ROOT/$STAMP-$$"',
    plan.lockPath === undefined ? 'LOCK="$BACKUP_ROOT/.apply-lock"' : `LOCK=${shQuote(plan.lockPath)}`,
    'phase=prepare',
    'changed=0; created=0; ran=0; backed=0; locked=0; lockdir=0',
  );

  // per-file state: tI temp file (empty: none), eI existed, cI differs, wI moved in place
  for (let i = 0; i < n; i++) push(`t${i}=''; e${i}=0; c${i}=0; w${i}=0`);

  // cleanup of temporary files on any exit
  push('cleanup() {');
  for (let i = 0; i < n; i++) push(`  if [ -n "$t${i}" ]; then rm -f -- "$t${i}"; fi`);
  push(
    '  if [ "$locked" = 1 ]; then rm -rf -- "$LOCK"; locked=0; fi',
    '  # (the folder made for the lock goes too when nothing else was put in it)',
    '  if [ "$lockdir" = 1 ]; then rmdir -- "${LOCK%/*}" 2>/dev/null; lockdir=0; fi',
    '}',
  );

  // the lock: one apply at a time on a host
  push(
    'lock() {',
    '  if [ ! -d "${LOCK%/*}" ]; then mkdir -p -- "${LOCK%/*}" 2>/dev/null && lockdir=1; fi',
    '  boot=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null) || boot=unknown',
    '  for _ in 1 2 3; do',
    '    if mkdir -- "$LOCK" 2>/dev/null; then',
    '      locked=1',
    '      printf \'%s %s\\n\' "$$" "$boot" > "$LOCK/owner"',
    '      return 0',
    '    fi',
    '    if [ ! -d "$LOCK" ]; then continue; fi # (ended meanwhile, or it cannot be made: again)',
    '    owner=$(cat -- "$LOCK/owner" 2>/dev/null) || owner=\'\'',
    '    pid=${owner%% *}',
    '    # a lock whose run is gone (killed, or from before a reboot) is taken over',
    '    if [ -n "$owner" ] && { [ "${owner#* }" != "$boot" ] || [ ! -d "/proc/$pid" ]; }; then',
    `      ${say('note: taking over the lock of an apply that is gone')} "(pid $pid)"`,
    '      rm -rf -- "$LOCK"',
    '      continue',
    '    fi',
    '    return 1',
    '  done',
    '  if [ -d "$LOCK" ]; then return 1; fi',
    '  return 2 # (it cannot be made: no right to write there)',
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
      `  for s in ${tmpBase}*; do if [ -f "$s" ]; then rm -f -- "$s"; fi; done # left by a run that was killed`,
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
      `    cp -p -- ${P} "$BACKUP_DIR"${P} || { ${say('error: cannot back up', shown)}; return 1; }`,
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
      `    ${say('error: could not put back', shown, '- its old content is in', { v: backupRoot }, '(this run\'s folder)')}`,
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
          `  r${k}=1`,
          `  modprobe -- ${M} </dev/null || { ${say('error: modprobe', shown, 'failed')}; return 1; }`,
          '}',
          `undo${k}() { :; }`,
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
          `    ifdown -- ${N} </dev/null || { ${say('error: ifdown', shown, 'failed')}; return 1; }`,
          '  fi',
          '  return 0',
          '}',
          `run${k}() {`,
          `  r${k}=1`,
          `  ${say('running: ifup', shown)}`,
          `  ifup -- ${N} </dev/null || { ${say('error: ifup', shown, 'failed')}; return 1; }`,
          `  ifquery --state -- ${N} >/dev/null 2>&1 || { ${say('error:', shown, 'is not up after ifup')}; return 1; }`,
          '}',
          `undo${k}() {`,
          `  ${say('undoing: ifdown', shown)}`,
          `  ifdown --force -- ${N} </dev/null >/dev/null 2>&1`,
          `  ip addr flush dev ${N} </dev/null >/dev/null 2>&1`,
          `  if [ "$up${k}" = 1 ]; then`,
          `    ${say('undoing: ifup', shown, 'with its old settings')}`,
          `    ifup -- ${N} </dev/null || { ${say('error: ifup', shown, 'failed with the old settings')}; return 1; }`,
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
          `  r${k}=1`,
          `  if [ ! -x /etc/init.d/xend ]; then ${say('error: /etc/init.d/xend is missing: is this a xend (xm) host? For xl, set the toolstack to xl')}; return 1; fi`,
          `  ${say('running: /etc/init.d/xend restart')}`,
          `  /etc/init.d/xend restart </dev/null || { ${say('error: /etc/init.d/xend restart failed')}; return 1; }`,
          '}',
          `undo${k}() {`,
          `  ${say('undoing: /etc/init.d/xend restart with the old configuration')}`,
          `  /etc/init.d/xend restart </dev/null || { ${say('error: xend did not restart with the old configuration')}; return 1; }`,
          '}',
        );
        break;
      }
      case 'sysctl': {
        const chg = changedTest([c.file]);
        const F = shQuote(c.file);
        const shown = { v: c.file };
        push(
          `need${k}() {`,
          `  if ${chg}; then n${k}=1; ${say('will load', shown, 'with sysctl -p (it changes)')}; fi`,
          '  return 0',
          '}',
          `run${k}() {`,
          `  r${k}=1`,
          `  ${say('running: sysctl -p', shown)}`,
          `  sysctl -p ${F} </dev/null || { ${say('error: sysctl -p', shown, 'failed')}; return 1; }`,
          '}',
          `undo${k}() {`,
          `  if [ -f ${F} ]; then`,
          `    ${say('undoing: sysctl -p', shown, 'with its old content')}`,
          `    sysctl -p ${F} </dev/null >/dev/null || { ${say('error: sysctl -p', shown, 'failed with its old content')}; return 1; }`,
          '  fi',
          '  return 0',
          '}',
        );
        break;
      }
      case 'note': {
        const chg = changedTest(c.ifChanged);
        push(
          `need${k}() { :; }`,
          `run${k}() { :; }`,
          `undo${k}() { :; }`,
          `note${k}() { if ${chg}; then ${say('note:', { v: c.text })}; fi; }`,
        );
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
    '  trap \'\' HUP INT TERM PIPE',
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
    "trap 'fail \"interrupted (hang-up, Ctrl-C or termination)\"' HUP INT TERM",
    "trap 'fail \"the connection was lost (broken pipe)\"' PIPE",
    'trap cleanup EXIT',
  );

  // main
  push(`${say('applying to', { v: plan.hostLabel })} "(${n} file(s), ${plan.commands.length} command(s))"`);
  push(
    'for tool in base64 cmp cp mv mkdir rm date; do',
    `  command -v "$tool" >/dev/null 2>&1 || fail "the command $tool is missing on the host"`,
    'done',
    `[ "$(id -u 2>/dev/null)" = 0 ] || ${say('warning: not running as root: writing to /etc will likely fail (set "sudo": true for this host)')}`,
    'lock; held=$?',
    'if [ "$held" = 1 ]; then',
    `  ${say('error: another apply to this host is running; its lock is')} "$LOCK" "(remove it if no apply runs)"`,
    `  ${say('result: busy (nothing was changed)')}`,
    `  exit ${ApplyExit.Busy}`,
    'fi',
    'if [ "$held" = 2 ]; then fail "cannot make the lock folder $LOCK (is this not root?)"; fi',
  );
  for (let i = 0; i < n; i++) push(`prepare${i} || fail ${shQuote(`could not prepare ${displayValue(plan.files[i].path)}`)}`);
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
    const what = c.kind === 'load-module' ? `modprobe ${c.module}` : c.kind === 'interface-up' ? `bringing up ${c.name}` : c.kind === 'restart-xend' ? 'restarting xend' : c.kind === 'sysctl' ? `sysctl -p ${c.file}` : 'a note';
    push(`if [ "$n${k}" = 1 ]; then run${k} || fail ${shQuote(displayValue(what) + ' failed')}; ran=$((ran + 1)); fi`);
  });
  // commit: from here on the changes stay, whatever happens to the connection
  push("trap '' HUP INT TERM PIPE", 'phase=committed');
  plan.commands.forEach((c, k) => {
    if (c.kind === 'note') push(`note${k}`);
  });
  push(
    `if [ "$backed" -gt 0 ]; then ${say('backups of the old files are in')} "$BACKUP_DIR"; fi`,
    `${say('result: applied')} "($changed file(s) written, $created of them new, $ran command(s) run)"`,
    'exit 0',
    '',
  );
  return L.join('\n');
}
