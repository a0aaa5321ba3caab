// What the editor's terminal runs to apply: a local sh script (the runner) and the apply script
// beside it (the payload), in a private folder of this machine (0700, files 0600). The terminal's
// command line is `/bin/sh <folder>/run.sh`: nothing of the files is in any argument.
//
// The runner makes up to three ssh connections:
//  1. store: `sh -c 'umask 077 && mkdir /tmp/xen-apply-ID && cat > /tmp/xen-apply-ID/script'`, the
//     payload on standard input (no terminal). ID is 128 random bits: the folder cannot be guessed
//     beforehand, and mkdir fails if it exists;
//  2. run: with a terminal (-t), `sh /tmp/xen-apply-ID/script` (or `sudo sh ...`): sudo asks for
//     its password there. The script deletes its file as it starts; the folder goes with the run
//     unless a confirmation is awaited (exit ApplyExit.Pending);
//  3. confirm (after exit Pending only): a fresh connection that creates
//     /tmp/xen-apply-ID/confirmed and waits for the host's answer (kept, or too late: reverted).
//     If the change cut the host off, this connection fails, and the host goes back as it was
//     when its window ends (script.ts: the confirm-or-revert window).
// Its own exit status is the apply's (ApplyExit): the script's, or Applied/NotConfirmed after step 3.
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ApplyExit, PROGRESS_PREFIX, runDirOf } from './script';
import { shQuote } from './quote';
import { sshPrefix, type SshTarget } from './ssh';

/** A new run id: 32 hex digits (128 random bits). */
export function newRunId(): string {
  return randomBytes(16).toString('hex');
}

/** The remote command of step 1: stores standard input as the run's script (0600 in a 0700 folder). */
export function storeCommand(runId: string): string {
  const d = runDirOf(runId);
  return `sh -c 'umask 077 && mkdir ${d} && cat > ${d}/script'`;
}

/** The remote command of step 2: runs the stored script; removes the folder unless a confirmation is awaited. */
export function runCommand(runId: string, sudo: boolean): string {
  const d = runDirOf(runId);
  return `sh -c '${sudo ? 'sudo ' : ''}sh ${d}/script; r=$?; [ $r = ${ApplyExit.Pending} ] || rm -rf ${d}; exit $r'`;
}

/** Exit statuses of the confirm step's remote script. */
export const ConfirmExit = { Kept: 0, NoSuchRun: 3, Reverted: 4, NoAnswer: 5, RevertFailed: 6 } as const;

/**
 * The script of step 3 (given on standard input to `sh -s`): confirms, then waits for the host's
 * answer. how: how the confirmation came, as the transcript says it (over ssh: a new connection).
 */
export function confirmScript(runId: string, how = 'over a new connection'): string {
  const d = runDirOf(runId);
  const say = (t: string): string => `printf '%s\\n' ${shQuote(`${PROGRESS_PREFIX} ${t}`)}`;
  return [
    '# xen-network: confirm an apply (generated)',
    `d=${d}`,
    `if [ ! -d "$d" ]; then ${say('no apply waits for a confirmation on this host (it went back as it was already, or ended)')}; exit ${ConfirmExit.NoSuchRun}; fi`,
    `: > "$d/confirmed" || exit ${ConfirmExit.NoSuchRun}`,
    'i=0',
    'while [ "$i" -lt 150 ]; do',
    `  if [ -e "$d/kept" ]; then ${say(`confirmed ${how}: the change stays`)}; rm -rf -- "$d" 2>/dev/null; exit ${ConfirmExit.Kept}; fi`,
    `  if [ -e "$d/revert-failed" ]; then ${say('too late: the host had started going back, and not everything could be undone (see the log in /var/backups/xen-network)')}; exit ${ConfirmExit.RevertFailed}; fi`,
    `  if [ -e "$d/reverted" ]; then ${say('too late: the host had gone back as it was before the apply')}; exit ${ConfirmExit.Reverted}; fi`,
    '  sleep 0.2 2>/dev/null || sleep 1',
    '  i=$((i + 1))',
    'done',
    `${say('the host did not answer the confirmation within 30 s')}`,
    `exit ${ConfirmExit.NoAnswer}`,
    '',
  ].join('\n');
}

export interface RunnerOptions {
  runId: string;
  sudo?: boolean;
  /** The window the script was built with (for the words only). */
  confirmSeconds: number;
  /** Force a terminal on the run step (-tt) when the runner itself has none (tests). */
  forceTty?: boolean;
  hostLabel: string;
}

/** The runner: a local sh script that reads the payload from its own folder. */
export function runnerScript(target: SshTarget, opts: RunnerOptions): string {
  const q = shQuote;
  const noTty = sshPrefix(target, { tty: false });
  // the run step gives up on a host that stops answering (a change that cut the network) within
  // about 20 s, so that the terminal goes on to the confirmation (which then fails: the host reverts)
  const tty = sshPrefix({ ...target, options: [...(target.options ?? []), '-o', 'ServerAliveInterval=5', '-o', 'ServerAliveCountMax=4'] }, { tty: true });
  if (opts.forceTty) tty.splice(tty.indexOf('-t'), 0, '-t');
  const words = (argv: string[]): string => argv.map(q).join(' ');
  const say = (t: string): string => `printf '%s\\n' ${q(`${PROGRESS_PREFIX} ${t}`)}`;
  return [
    '#!/bin/sh',
    `# xen-network: apply to ${opts.hostLabel.replace(/[\r\n]/g, ' ')} (generated; the apply script is the file "payload" beside this one)`,
    '# shellcheck disable=SC2016',
    'here=${0%/*}',
    'trap \'rm -rf -- "$here"\' EXIT',
    "trap 'exit 130' INT TERM HUP",
    `${say('sending the script to the host (ssh connection 1)')}`,
    `${words(noTty)} ${q(storeCommand(opts.runId))} < "$here/payload"`,
    'r=$?',
    'if [ "$r" != 0 ]; then',
    `  if [ "$r" = 255 ]; then exit 255; fi`,
    `  ${say('the script could not be stored on the host (in /tmp): nothing was changed')}`,
    `  exit ${ApplyExit.NotSent}`,
    'fi',
    'rm -f -- "$here/payload"',
    `${say(`running it${opts.sudo ? ' with sudo' : ''} (ssh connection 2)`)}`,
    `${words(tty)} ${q(runCommand(opts.runId, !!opts.sudo))}`,
    'r=$?',
    ...(opts.confirmSeconds > 0
      ? [
          // ssh's 255 after the script was stored: the connection may have been cut by the change
          // itself; the script goes on (or undoes itself), and a new connection tells which
          `if [ "$r" = 255 ]; then ${say('the connection broke (the change may have cut it): trying a new connection to confirm')}; elif [ "$r" != ${ApplyExit.Pending} ]; then exit "$r"; fi`,
        ]
      : [`if [ "$r" != ${ApplyExit.Pending} ]; then exit "$r"; fi`]),
    `${say(`confirming over a new ssh connection (3): without it the host goes back as it was within ${opts.confirmSeconds} s`)}`,
    `printf '%s' ${q(confirmScript(opts.runId))} | ${words(noTty)} 'sh -s'`,
    'c=$?',
    'case $c in',
    `  ${ConfirmExit.Kept}) ${say('result: applied and confirmed')}; exit ${ApplyExit.Applied} ;;`,
    `  ${ConfirmExit.RevertFailed}) exit ${ApplyExit.FailedNotRestored} ;;`,
    `  ${ConfirmExit.Reverted}) exit ${ApplyExit.NotConfirmed} ;;`,
    `  ${ConfirmExit.NoSuchRun}) if [ "$r" = 255 ]; then ${say('no apply waits for a confirmation there: the script ended on its own (a failed one undoes its changes; its log is in /var/backups/xen-network)')}; exit 255; fi ;;`,
    'esac',
    `printf '%s\\n' "${PROGRESS_PREFIX} no confirmation reached the host (exit $c): whatever the script changed goes back as it was when its ${opts.confirmSeconds} s are over"`,
    `exit ${ApplyExit.NotConfirmed}`,
    '',
  ].join('\n');
}

/** Writes the runner and the payload into a new private folder; gives the terminal's argv. */
export function writeRunFiles(runner: string, payload: string, base: string = tmpdir()): { dir: string; argv: string[]; remove: () => void } {
  const dir = mkdtempSync(join(base, 'xen-apply-'));
  writeFileSync(join(dir, 'payload'), payload, { mode: 0o600 });
  writeFileSync(join(dir, 'run.sh'), runner, { mode: 0o600 });
  return { dir, argv: ['/bin/sh', join(dir, 'run.sh')], remove: () => rmSync(dir, { recursive: true, force: true }) };
}

// ---- Apply Here: the same apply script, run on this machine ----
// The editor runs on the host itself (Remote-SSH to dom0, or a session on it): the runner stores
// the script in a fresh /tmp/xen-apply-ID with mkdir (as ssh's step 1 does), runs it with `sh`
// (root) or `sudo sh` (sudo asks for its password in the terminal), and for the confirm-or-revert
// window asks the person in the terminal to type a confirmation. A person the change cut off (a
// Remote-SSH session lost) answers nothing: the host goes back as it was when the window ends.

/** What the person types in the terminal to keep an Apply Here. */
export const LOCAL_CONFIRM_WORD = 'keep';

export interface LocalRunnerOptions {
  runId: string;
  /** Run the script with sudo (this machine's user is not root). */
  sudo: boolean;
  /** The window the script was built with: the person has this long to type the confirmation. */
  confirmSeconds: number;
  hostLabel: string;
}

/** The runner of an Apply Here: a local sh script that reads the payload from its own folder and runs it on this machine. */
export function localRunnerScript(opts: LocalRunnerOptions): string {
  const q = shQuote;
  const d = runDirOf(opts.runId);
  const say = (t: string): string => `printf '%s\\n' ${q(`${PROGRESS_PREFIX} ${t}`)}`;
  const window = opts.confirmSeconds;
  return [
    '#!/bin/sh',
    `# xen-network: apply here, to ${opts.hostLabel.replace(/[\r\n]/g, ' ')} (generated; the apply script is the file "payload" beside this one)`,
    '# shellcheck disable=SC2016',
    'here=${0%/*}',
    'trap \'rm -rf -- "$here"\' EXIT',
    "trap 'exit 130' INT TERM HUP",
    `d=${q(d)}`,
    `${say(`storing the script in ${d}`)}`,
    // (a fresh folder: mkdir fails if it exists; 0700, the script 0600)
    'if ! ( umask 077 && mkdir -- "$d" && cat > "$d/script" ) < "$here/payload"; then',
    `  ${say('the script could not be stored in /tmp: nothing was changed')}`,
    `  exit ${ApplyExit.NotSent}`,
    'fi',
    'rm -f -- "$here/payload"',
    `${say(opts.sudo ? 'running it with sudo (sudo may ask for your password)' : 'running it')}`,
    `${opts.sudo ? 'sudo ' : ''}sh "$d/script"`,
    'r=$?',
    `if [ "$r" != ${ApplyExit.Pending} ]; then rm -rf -- "$d" 2>/dev/null; exit "$r"; fi`,
    // the confirm-or-revert window: the person types the word; nothing (or anything else) and the host goes back
    `${say(`type ${LOCAL_CONFIRM_WORD} and press Enter within ${window} s to keep the change; anything else, or nothing, and this host goes back as it was when the ${window} s are over`)}`,
    `printf '%s' ${q(`Keep the change? Type ${LOCAL_CONFIRM_WORD}: `)}`,
    // (timeout --foreground: the reader stays in the terminal's foreground group, so it may read it)
    `if command -v timeout >/dev/null 2>&1; then a=$(timeout --foreground ${window} head -n 1); else a=$(head -n 1); fi`,
    `if [ "$a" != ${q(LOCAL_CONFIRM_WORD)} ]; then`,
    `  printf '\\n'`,
    `  ${say(`not confirmed: whatever the script changed goes back as it was when its ${window} s are over`)}`,
    `  exit ${ApplyExit.NotConfirmed}`,
    'fi',
    `printf '%s' ${q(confirmScript(opts.runId, 'in this terminal'))} | sh -s`,
    'c=$?',
    'case $c in',
    `  ${ConfirmExit.Kept}) ${say('result: applied and confirmed')}; exit ${ApplyExit.Applied} ;;`,
    `  ${ConfirmExit.RevertFailed}) exit ${ApplyExit.FailedNotRestored} ;;`,
    'esac',
    `exit ${ApplyExit.NotConfirmed}`,
    '',
  ].join('\n');
}
