// "Xen: Apply to Host…" and "Xen: Show Apply Script…", the server's half: from a `xen.hosts`
// entry and the local folder that mirrors the host, what would be sent (each file, the commands,
// the script, the ssh command line for a terminal) and, when asked, what the host has now (read
// over ssh without prompting), so the client can show a diff per file before anything runs.
// The client runs the ssh command in a terminal, so the user answers any password or sudo prompt.
//
// Request `xen/apply/prepare` (its shapes: server/src/protocol/apply.ts):
//   params  { host: <one xen.hosts entry, as the user wrote it>, folderUri: string (the entry's folder, resolved), sshConfigUri?: string, fetch: boolean }
//   result  ApplyPreparation
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { sshConfigInForce } from '../apply/sshconfig';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import type { Settings } from '../core/settings';
import { languageOf, serviceFor } from '../formats/index';
import {
  ApplyExit,
  buildApplyScript,
  describeApplyExit,
  fetchFiles,
  planApply,
  newRunId,
  planProblems,
  readSysctl,
  runnerScript,
  localRunnerScript,
  LOCAL_CONFIRM_WORD,
  sshPrefix,
  targetOf,
  validateHostEntry,
  type ApplyCommand,
  type FileToWrite,
} from '../apply/index';
import { fileDiagnostics, LANGUAGE_OF_ROLE, type HostIndex, type HostSnapshot, type OpenText } from '../host/index';
import { fileUriToPath, trimFolderUri } from '../core/uri';
import { isLiveFolder, liveHostName, liveReadable } from '../host/live';
import { MAX_DISK_FILE } from '../host/reader';
import { hostPathEntry } from '../host/paths';
import type { ApplyFile, ApplyHereParams, ApplyInspectParams, ApplyInspection, ApplyPreparation, ApplyPrepareParams, Unchecked } from '../protocol';

/** The confirm-or-revert window when the host entry does not set `confirmSeconds`. */
export const DEFAULT_CONFIRM_SECONDS = 60;

function realPath(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

/** Whether path lies inside dir (or is dir, when allowed). Both real paths. */
function inside(path: string, dir: string, orSame: boolean): boolean {
  if (path === dir) return orSame;
  return path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

function describeCommand(c: ApplyCommand): string {
  switch (c.kind) {
    case 'load-module':
      return `load the ${c.module} kernel module (modprobe ${c.module}) unless it is loaded`;
    case 'interface-up':
      return `bring up ${c.name} (ifup ${c.name}; ifdown first when it is up and ${c.restartIfChanged.join(' or ')} changed)`;
    case 'restart-xend':
      return `restart xend (/etc/init.d/xend restart) when ${c.ifChanged.join(' or ')} changed`;
    case 'note':
      return `say: ${c.text}`;
    case 'sysctl':
      return `load ${c.file} (sysctl -p) when it changed, after saving the value of ${c.keys.length ? c.keys.join(', ') : 'each key it sets'} (a rollback sets each back)`;
  }
}

/** A file's errors that stop an apply: its diagnostics as the editor shows them (from the index's parse of it), and sysctl -p's syntax for a sysctl file. */
function fileErrors(
  uri: string,
  parsed: HostSnapshot['files'][number]['parsed'],
  format: string,
  check: HostSnapshot,
  settings: Settings,
): { uri: string; line: number; message: string }[] {
  const out: { uri: string; line: number; message: string }[] = [];
  const lang = languageOf(uri);
  let diags: Diagnostic[] = [];
  if (lang) {
    const service = serviceFor(lang);
    const sameFormat = parsed.role !== 'sysctl' && LANGUAGE_OF_ROLE[parsed.role] === lang;
    const doc = sameFormat ? parsed : service.parse(parsed.text, settings, uri);
    diags = fileDiagnostics(uri, { service, parsed: doc }, settings, () => check.diagnostics.get(uri) ?? []);
  } else diags = check.diagnostics.get(uri) ?? [];
  for (const d of diags) {
    if (d.severity === DiagnosticSeverity.Error)
      out.push({ uri, line: d.range.start.line + 1, message: typeof d.message === 'string' ? d.message : d.message.value });
  }
  // every file sent is checked in its format: sysctl files by sysctl -p's syntax
  if (format === 'sysctl') for (const sp of readSysctl(parsed.text).problems) out.push({ uri, line: sp.line, message: sp.message });
  return out;
}

/** What each exit status of a run means (the script's, and sh, sudo and ssh's around it). */
function exitWords(statuses: number[], confirmSeconds: number): Record<string, string> {
  const exits: Record<string, string> = {};
  for (const code of [...Object.values(ApplyExit), ...statuses]) exits[String(code)] = describeApplyExit(code);
  if (confirmSeconds > 0) exits[String(ApplyExit.NotConfirmed)] = `${describeApplyExit(ApplyExit.NotConfirmed)} (its window: ${confirmSeconds} s)`;
  return exits;
}

export async function prepareApply(
  params: Unchecked<ApplyPrepareParams>,
  index: HostIndex,
  open: Iterable<OpenText>,
  settings: Settings,
): Promise<ApplyPreparation> {
  const entry = validateHostEntry(params?.host);
  if (!entry.ok) return { ok: false, errors: entry.errors };
  const host = entry.host;
  const folderUri = typeof params.folderUri === 'string' ? params.folderUri.replace(/\/+$/, '') : '';
  const folder = fileUriToPath(folderUri + '/');
  if (!folder) return { ok: false, hostName: host.name, errors: [`the folder of ${host.name} is not a local folder: ${String(params.folderUri)}`] };
  // the folder's real path must lie in a workspace folder (not /, not a .. out of it)
  const realFolder = realPath(folder);
  const roots = (Array.isArray(params.workspaceFolderUris) ? params.workspaceFolderUris : [])
    .map((u) => (typeof u === 'string' ? fileUriToPath(u.replace(/\/+$/, '') + '/') : undefined))
    .map((p) => (p ? realPath(p) : undefined))
    .filter((p): p is string => !!p && p !== '/');
  if (!realFolder || realFolder === '/' || !roots.some((r) => inside(realFolder, r, true))) {
    return {
      ok: false,
      hostName: host.name,
      errors: [
        `the folder of ${host.name} (${folder}${realFolder && realFolder !== folder ? `, really ${realFolder}` : ''}) must lie inside a workspace folder: nothing outside the workspace is sent`,
      ],
    };
  }

  // the host's files as the host index reads them (open documents first, in any layout), and their diagnostics
  const check = index.snapshotOfFolder(folderUri, open, settings, { fresh: true });
  if (!check || check.model.files.size === 0) {
    return {
      ok: false,
      hostName: host.name,
      errors: [
        `${folder} holds none of the host's files (etc/network/interfaces, etc/modules, etc/xen/...): set "folder" of ${host.name} in xen.hosts to the folder that mirrors the host`,
      ],
    };
  }
  const problems: { uri: string; line: number; message: string }[] = [];
  const files: FileToWrite[] = [];
  const localOf = new Map<string, string>();
  for (const { uri, hostPath, parsed } of check.files) {
    const p = fileUriToPath(uri);
    if (!p) continue;
    const rel = relative(folder, p).split(sep).join('/');
    if (rel.startsWith('..') || (check.place.layout === 'etc-tree' && !rel.startsWith('etc/'))) {
      // (a file the host model read from outside the host's folder: never sent, and said so)
      problems.push({ uri, line: 1, message: "this file lies outside the host's folder: it is not sent, and the host is not applied while its files name it" });
      continue;
    }
    // (a file the table does not map: named by its place in the folder)
    const shown = hostPath ?? (check.place.layout === 'etc-tree' ? '/' + rel : rel);
    // a plain file inside the folder: no symbolic link (a private key linked as a sysctl file), nothing that resolves outside
    let plain = false;
    try {
      const st = lstatSync(p);
      const rp = realPath(p);
      plain = st.isFile() && !st.isSymbolicLink() && !!rp && inside(rp, realFolder, false);
    } catch {
      plain = false;
    }
    if (!plain) {
      problems.push({
        uri,
        line: 1,
        message: `${shown} is not a plain file inside the host's folder (a symbolic link, or a path that leads out of it): not sent`,
      });
      continue;
    }
    const entry = hostPath === undefined ? undefined : hostPathEntry(hostPath);
    if (!entry || hostPath === undefined) {
      problems.push({
        uri,
        line: 1,
        message: `${shown} is not one of the host's files that Apply sends (interfaces, interfaces.d/*, modules, modules-load.d/*.conf, xen's files, sysctl.conf, sysctl.d/*.conf): not sent`,
      });
      continue;
    }
    problems.push(...fileErrors(uri, parsed, entry.format, check, settings));
    files.push({ path: hostPath, content: parsed.text });
    localOf.set(hostPath, uri);
  }
  if (problems.length) {
    return {
      ok: false,
      hostName: host.name,
      errors: [
        `${host.name}'s files have ${problems.length} error${problems.length === 1 ? '' : 's'}: fix ${problems.length === 1 ? 'it' : 'them'} before applying (the Problems panel lists them)`,
      ],
      problems,
    };
  }
  files.sort((a, b) => (a.path < b.path ? -1 : 1));
  const plan = planApply(files, {
    hostLabel: host.name,
    gatewayInterface: settings.network.gatewayInterface,
    toolstack: settings.domain.toolstack === 'xm' || settings.domain.toolstack === 'xl' ? settings.domain.toolstack : 'auto',
  });
  const planErrors = planProblems(plan);
  if (planErrors.length) return { ok: false, hostName: host.name, errors: planErrors };
  // a relative sshConfig is read from the workspace folder that holds the host's folder (the client resolves it)
  const sshConfigUri = typeof params.sshConfigUri === 'string' ? params.sshConfigUri : undefined;
  const target = targetOf(sshConfigUri && fileUriToPath(sshConfigUri) ? { ...host, sshConfig: fileUriToPath(sshConfigUri)! } : host);

  const out: ApplyFile[] = files.map((f) => ({ path: f.path, localUri: localOf.get(f.path)!, text: String(f.content), changes: true }));
  let fetchProblem: string | undefined;
  if (params.fetch === true) {
    const fetched = await fetchFiles(
      target,
      files.map((f) => f.path),
      { sudo: host.sudo, batch: true, timeoutMs: 20_000 },
    );
    if (fetched.code !== 0) {
      const why = fetched.stderr.trim().split('\n').slice(-2).join(' ').slice(0, 400);
      fetchProblem = fetched.overflow
        ? `could not read ${host.name}'s current files: ${why}`
        : `could not read ${host.name}'s current files over ssh without a prompt (${fetched.code === null ? 'timed out' : `ssh exit ${fetched.code}`}${why ? `: ${why}` : ''}); the diff is not shown, the apply script still compares each file before writing it`;
    }
    const byPath = new Map(fetched.files.map((f) => [f.path, f]));
    for (const [i, f] of out.entries()) {
      const r = fetched.overflow ? undefined : byPath.get(f.path);
      if (!r) f.remote = { state: 'not-read' };
      else if (r.state === 'file') {
        const bytes = r.content ?? Buffer.alloc(0);
        const text = bytes.toString('utf8');
        f.remote = { state: 'file', text };
        f.changes = text !== f.text;
        // what was read for review: the script refuses to run if the host's file is not this any more
        files[i].expect = createHash('sha256').update(bytes).digest('hex');
      } else {
        f.remote = { state: r.state === 'no-match' ? 'missing' : r.state };
        if (r.state === 'missing' || r.state === 'no-match') files[i].expect = 'absent';
      }
    }
  }
  const runId = newRunId();
  const confirmSeconds = host.confirmSeconds ?? DEFAULT_CONFIRM_SECONDS;
  plan.runId = runId;
  plan.confirmSeconds = confirmSeconds;
  let script: string;
  try {
    script = buildApplyScript(plan);
  } catch (e) {
    return { ok: false, hostName: host.name, errors: [e instanceof Error ? e.message : String(e)] };
  }
  const runner = runnerScript(target, { runId, sudo: host.sudo, confirmSeconds, hostLabel: host.name });
  const exits = exitWords([1, 2, 126, 127, 129, 130, 143, 255], confirmSeconds);
  return {
    ok: true,
    hostName: host.name,
    destination: host.destination,
    files: out,
    commands: plan.commands.map(describeCommand),
    script,
    runner,
    runId,
    confirmSeconds,
    ssh: sshPrefix(target)[0],
    ...(fetchProblem ? { fetchProblem } : {}),
    exits,
    successes: [ApplyExit.Applied, ApplyExit.NothingToChange],
  };
}

/**
 * Request `xen/apply/inspect` { host, sshConfigUri? }: where ssh would connect and which commands
 * its configuration would run on this machine (sshconfig.ts), for the question asked before the
 * first connection. Runs nothing but `ssh -G`, and not even that when a Match exec line is found.
 */
export async function inspectApply(params: Unchecked<ApplyInspectParams>): Promise<ApplyInspection> {
  const entry = validateHostEntry(params?.host);
  if (!entry.ok) return { ok: false, errors: entry.errors };
  const host = entry.host;
  const sshConfigUri = typeof params.sshConfigUri === 'string' ? params.sshConfigUri : undefined;
  const configFile = sshConfigUri ? fileUriToPath(sshConfigUri) : undefined;
  const target = targetOf(configFile ? { ...host, sshConfig: configFile } : { ...host, sshConfig: undefined });
  const inForce = await sshConfigInForce(target);
  return { ok: true, hostName: host.name, destination: host.destination, ...(configFile ? { configFile } : {}), ...inForce };
}

// ---- Apply Here (xen/apply/prepareHere): the same apply, on this machine ----

/** The sha256 (hex) of a file's bytes on this machine, or 'absent'; undefined when it cannot be read. */
function stateOnDisk(path: string): { expect: string; text?: string } | undefined {
  try {
    // (through a link too: an unchanged link is left alone, a changed one refused, by the caller)
    const st = statSync(path);
    if (!st.isFile() || st.size > MAX_DISK_FILE || !liveReadable(path)) return undefined;
    const bytes = readFileSync(path);
    return { expect: createHash('sha256').update(bytes).digest('hex'), text: bytes.toString('utf8') };
  } catch (e) {
    return (e as NodeJS.ErrnoException)?.code === 'ENOENT' ? { expect: 'absent' } : undefined;
  }
}

/**
 * Request `xen/apply/prepareHere` { folderUri, workspaceFolderUris, confirmSeconds? }: Apply Here,
 * for a workspace folder that is this machine's `/`, `/etc` or a folder inside `/etc` (host/live.ts).
 * Each of the host's files that Apply sends, as the editor holds it (unsaved edits included),
 * against the disk's copy now (read here, only at the host table's paths: the diff, and the hash
 * the script checks before changing anything); the apply script of Apply to Host; and the local
 * runner (apply/runner.ts localRunnerScript: sh, or sudo sh when this user is not root).
 */
export function prepareApplyHere(params: Unchecked<ApplyHereParams>, index: HostIndex, open: Iterable<OpenText>, settings: Settings): ApplyPreparation {
  const hostName = liveHostName();
  const folderText = typeof params?.folderUri === 'string' ? params.folderUri : '';
  const folders = (Array.isArray(params?.workspaceFolderUris) ? params.workspaceFolderUris : [])
    .filter((u): u is string => typeof u === 'string')
    .map(trimFolderUri);
  if (!folderText || !isLiveFolder(folderText) || !folders.includes(trimFolderUri(folderText))) {
    return {
      ok: false,
      hostName,
      errors: [
        'Apply Here applies to this machine only: open its /etc, a folder inside /etc (such as /etc/xen) or / as a workspace folder (over Remote-SSH on dom0, or on dom0 itself)',
      ],
    };
  }
  if (process.platform !== 'linux') return { ok: false, hostName, errors: [`Apply Here runs on a Linux host; this machine runs ${process.platform}`] };
  const confirmSeconds =
    typeof params.confirmSeconds === 'number' && Number.isInteger(params.confirmSeconds) && params.confirmSeconds >= 0 && params.confirmSeconds <= 3600
      ? params.confirmSeconds
      : DEFAULT_CONFIRM_SECONDS;
  const check = index.snapshotOfFolder(folderText, open, settings, { fresh: true });
  if (!check || check.model.files.size === 0) {
    return { ok: false, hostName, errors: ["this machine's /etc holds none of a Xen host's files (/etc/network/interfaces, /etc/modules, /etc/xen/...)"] };
  }
  const problems: { uri: string; line: number; message: string }[] = [];
  const files: FileToWrite[] = [];
  const out: ApplyFile[] = [];
  for (const { uri, hostPath, parsed } of check.files) {
    const entry = hostPath === undefined ? undefined : hostPathEntry(hostPath);
    // (on this host a file's uri is its host path: anything else is not one of its files)
    if (!entry || hostPath === undefined || fileUriToPath(uri) !== hostPath) continue;
    const now = stateOnDisk(hostPath);
    const changes = now?.text !== parsed.text;
    let plain = false;
    try {
      plain = lstatSync(hostPath).isFile();
    } catch {
      plain = now?.expect === 'absent';
    }
    if (!plain) {
      // (a link, such as /etc/sysctl.d/99-sysctl.conf -> ../sysctl.conf: the script writes no link; unchanged, it is left alone)
      if (changes)
        problems.push({ uri, line: 1, message: `${hostPath} is not a plain file of this host (a symbolic link?): edit the file it leads to instead` });
      continue;
    }
    problems.push(...fileErrors(uri, parsed, entry.format, check, settings));
    files.push({ path: hostPath, content: parsed.text, ...(now ? { expect: now.expect } : {}) });
    out.push({
      path: hostPath,
      localUri: uri,
      text: parsed.text,
      remote: now === undefined ? { state: 'unreadable' } : now.text === undefined ? { state: 'missing' } : { state: 'file', text: now.text },
      changes,
    });
  }
  if (problems.length) {
    return {
      ok: false,
      hostName,
      errors: [
        `${hostName}'s files have ${problems.length} error${problems.length === 1 ? '' : 's'}: fix ${problems.length === 1 ? 'it' : 'them'} before applying (the Problems panel lists them)`,
      ],
      problems,
    };
  }
  if (!files.length) return { ok: false, hostName, errors: ['none of the files of this host is one that Apply writes'] };
  files.sort((a, b) => (a.path < b.path ? -1 : 1));
  out.sort((a, b) => (a.path < b.path ? -1 : 1));
  const plan = planApply(files, {
    hostLabel: hostName,
    gatewayInterface: settings.network.gatewayInterface,
    toolstack: settings.domain.toolstack === 'xm' || settings.domain.toolstack === 'xl' ? settings.domain.toolstack : 'auto',
  });
  const runId = newRunId();
  plan.runId = runId;
  plan.confirmSeconds = confirmSeconds;
  const planErrors = planProblems(plan);
  if (planErrors.length) return { ok: false, hostName, errors: planErrors };
  let script: string;
  try {
    script = buildApplyScript(plan);
  } catch (e) {
    return { ok: false, hostName, errors: [e instanceof Error ? e.message : String(e)] };
  }
  const sudo = process.getuid?.() !== 0;
  return {
    ok: true,
    hostName,
    destination: 'this machine',
    files: out,
    commands: plan.commands.map(describeCommand),
    script,
    runner: localRunnerScript({ runId, sudo, confirmSeconds, hostLabel: hostName }),
    runId,
    confirmSeconds,
    ssh: '',
    exits: {
      ...exitWords([1, 2, 126, 127, 129, 130, 143], confirmSeconds),
      [String(ApplyExit.NotConfirmed)]:
        `applied, but the change was not confirmed in the terminal: this host goes back as it was when its ${confirmSeconds} s are over`,
    },
    successes: [ApplyExit.Applied, ApplyExit.NothingToChange],
    local: { sudo, confirmWord: LOCAL_CONFIRM_WORD },
  };
}
