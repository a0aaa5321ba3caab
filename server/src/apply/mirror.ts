// Bringing a live host's files into a local folder ("Xen: Import Host…", `xen-net-check --ssh`),
// and comparing a folder with what the host has now ("Xen: Compare with Host"). Read-only on the
// host: the one connection is the fetch of fetch.ts (the table's sent rows, host/paths.ts).
//
// The host is not trusted. What it sends is sorted first (sortFetched): only a path that is one of
// the table's (absolute, under /etc, no `.`, `..` or empty segment, no NUL, no backslash, no control
// character) and only a whole plain file of at most MAX_DISK_FILE bytes is kept; anything else is
// told and dropped. The files are written below the folder only (each path checked again against
// the folder's real path), as plain files: nothing from the host becomes a link. A new folder (or
// an empty one) is filled in a private staging folder beside it and renamed into place at once: it
// holds the whole fetch or nothing. An existing folder that holds anything is written to only when
// the caller says so (replace), each file then written to a new file beside it and renamed over
// the old one; a link or a file where a folder is expected stops that file, never followed.
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { tmpdir } from 'node:os';
import { boundedNames, confinedFile, insideReal, realPathOf } from '../core/confine';
import { MAX_DISK_FILE } from '../host/reader';
import { hostPathOf, localPathOf, type HostLayout } from '../host/table';
import { HOST_PATH_PATTERNS, isSendable } from '../host/paths';
import { fetchFiles, type FetchedFile } from './fetch';
import type { RunOptions, SshTarget } from './ssh';

/** The most files one host gives (its /etc/xen holds at most a few thousand domain files). */
export const MAX_MIRROR_FILES = 10_000;

/** A file of the host as kept: its path on the host and its bytes. */
export interface MirrorFile {
  path: string;
  content: Buffer;
}

/** Something the host sent that was not kept, and why (path as sent, made printable). */
export interface MirrorSkip {
  path: string;
  why: string;
}

/** A host path made printable: control characters as \xNN, at most 300 characters. */
export function printablePath(path: string): string {
  let out = '';
  for (const ch of String(path).slice(0, 300)) {
    const c = ch.codePointAt(0) ?? 0;
    out += c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0) ? `\\x${c.toString(16).padStart(2, '0')}` : ch;
  }
  return out;
}

/** Characters a file name may not hold on this machine's file system (besides `/` and NUL). */
const WINDOWS_FORBIDDEN = '<>:"|?*';

/** Why a path the host sent cannot be written below a folder, or undefined when it can. */
export function hostPathProblem(path: unknown, platform: NodeJS.Platform = process.platform): string | undefined {
  if (typeof path !== 'string' || path === '') return 'not a path';
  for (const ch of path) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x20 || c === 0x7f) return 'the name holds a control character';
    if (ch === '\\') return 'the name holds a backslash';
    if (platform === 'win32' && WINDOWS_FORBIDDEN.includes(ch)) return `the name holds "${ch}", which this machine's file names cannot`;
  }
  if (!path.startsWith('/etc/')) return 'not a path under /etc';
  // (the table's rows, with `.`, `..` and empty segments refused: host/paths.ts)
  if (!isSendable(path)) return "not one of the host's files that the extension reads (host/paths.ts)";
  if (platform === 'win32' && path.split('/').some((s) => s.endsWith('.') || s.endsWith(' ')))
    return "the name ends in a dot or a space, which this machine's file names cannot";
  return undefined;
}

/**
 * What a fetch gave, sorted: the whole plain files with a path of the table (first of each path,
 * at most MAX_MIRROR_FILES, each at most MAX_DISK_FILE bytes), in path order, and what was left out
 * and why. A file that is not on the host (missing, a pattern that matched nothing) is neither.
 */
export function sortFetched(
  fetched: readonly FetchedFile[],
  opts: { maxFiles?: number; maxFileSize?: number } = {},
): { files: MirrorFile[]; skipped: MirrorSkip[] } {
  const maxFiles = opts.maxFiles ?? MAX_MIRROR_FILES;
  const maxSize = opts.maxFileSize ?? MAX_DISK_FILE;
  const files: MirrorFile[] = [];
  const skipped: MirrorSkip[] = [];
  const seen = new Set<string>();
  for (const f of fetched) {
    if (f.state === 'missing' || f.state === 'no-match') continue;
    const shown = printablePath(f.path);
    const problem = hostPathProblem(f.path);
    if (problem) {
      skipped.push({ path: shown, why: `not kept: ${problem}` });
      continue;
    }
    if (f.state !== 'file' || !f.content) {
      const why =
        f.state === 'unreadable'
          ? 'could not be read on the host (permissions: a login that may read it, or root, can)'
          : f.state === 'not-a-file'
            ? 'not a plain file on the host'
            : 'the output stopped in the middle of it (the connection was lost)';
      skipped.push({ path: shown, why });
      continue;
    }
    if (seen.has(f.path)) {
      skipped.push({ path: shown, why: 'sent twice: the first copy is kept' });
      continue;
    }
    if (f.content.length > maxSize) {
      skipped.push({ path: shown, why: `bigger than ${Math.round(maxSize / 1024 / 1024)} MiB (a host's configuration is a few KB): not kept` });
      continue;
    }
    if (files.length >= maxFiles) {
      skipped.push({ path: shown, why: `more than ${maxFiles} files: not kept` });
      continue;
    }
    seen.add(f.path);
    files.push({ path: f.path, content: f.content });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, skipped };
}

export type WriteResult =
  { ok: true; folder: string; written: string[]; skipped: MirrorSkip[] } | { ok: false; reason: 'not-empty' | 'refused' | 'failed'; error: string };

function isEmptyDir(p: string): boolean {
  return readdirSync(p).length === 0;
}

/** The local path of a host path below root (etc-tree: <root>/etc/...), or undefined when it would not lie below root. */
function localOf(root: string, hostPath: string): string | undefined {
  const rel = localPathOf('etc-tree', hostPath).split('/');
  if (rel.some((s) => s === '' || s === '.' || s === '..')) return undefined;
  const p = resolve(root, ...rel);
  return p.startsWith(root.endsWith(sep) ? root : root + sep) ? p : undefined;
}

/** Writes one file below root through real folders only (no link, no file where a folder goes): new file beside it, renamed over. */
function writeBelow(root: string, hostPath: string, content: Buffer): string | undefined {
  const target = localOf(root, hostPath);
  if (!target) return 'its path would leave the folder';
  // every folder between root and the file: a real folder (made when missing), never a link
  let dir = root;
  for (const seg of target
    .slice(root.length + 1)
    .split(sep)
    .slice(0, -1)) {
    dir = join(dir, seg);
    let st;
    try {
      st = lstatSync(dir);
    } catch {
      try {
        mkdirSync(dir, { mode: 0o755 });
        continue;
      } catch (e) {
        return `its folder could not be made (${(e as NodeJS.ErrnoException).code ?? String(e)})`;
      }
    }
    if (!st.isDirectory()) return `${st.isSymbolicLink() ? 'a symbolic link' : 'a file'} stands where its folder goes (${dir}): not followed`;
  }
  const rootReal = realPathOf(root);
  const dirReal = realPathOf(dirname(target));
  if (!rootReal || !dirReal || !insideReal(rootReal, dirReal)) return 'its folder leads out of the folder';
  try {
    const st = lstatSync(target);
    if (st.isDirectory()) return 'a folder stands where the file goes';
  } catch {
    /* a new file */
  }
  const temp = join(dirname(target), `.${basename(target)}.xen-import-${randomBytes(6).toString('hex')}`);
  try {
    // (wx: a new file, never through a link of that name)
    writeFileSync(temp, content, { flag: 'wx', mode: 0o644 });
    renameSync(temp, target);
  } catch (e) {
    rmSync(temp, { force: true });
    return `it could not be written (${(e as NodeJS.ErrnoException).code ?? String(e)})`;
  }
  return undefined;
}

/**
 * Writes the host's files into folder as an etc/ tree (<folder>/etc/network/interfaces). The
 * folder is made when missing; an existing folder that holds anything is written to only with
 * replace (then the fetched files replace theirs, one by one, and nothing else changes). Refuses
 * `/` and a folder whose etc/ is this machine's /etc. Never throws.
 */
export function writeMirror(folder: string, files: readonly MirrorFile[], opts: { replace?: boolean } = {}): WriteResult {
  try {
    if (!isAbsolute(folder)) return { ok: false, reason: 'refused', error: `not an absolute path: ${folder}` };
    const abs = resolve(folder);
    let exists = false;
    try {
      const st = statSync(abs);
      if (!st.isDirectory()) return { ok: false, reason: 'refused', error: `${abs} is not a folder` };
      exists = true;
    } catch {
      /* a new folder */
    }
    const real = exists ? realPathOf(abs) : undefined;
    if (abs === dirname(abs) || real === '/' || (real !== undefined && real === dirname(real))) {
      return { ok: false, reason: 'refused', error: 'the root of the file system is not a folder to import a host into' };
    }
    const etcReal = exists ? realPathOf(join(abs, 'etc')) : undefined;
    if (etcReal === '/etc') return { ok: false, reason: 'refused', error: `${abs}/etc is this machine's /etc: not written` };
    const written: string[] = [];
    const skipped: MirrorSkip[] = [];
    for (const f of files) {
      if (hostPathProblem(f.path) || !localOf(abs, f.path)) skipped.push({ path: printablePath(f.path), why: 'not kept: its path would leave the folder' });
    }
    const keep = files.filter((f) => !hostPathProblem(f.path) && localOf(abs, f.path));
    if (exists && !isEmptyDir(abs)) {
      if (!opts.replace) return { ok: false, reason: 'not-empty', error: `${abs} is not empty: not written (ask to replace its files)` };
      for (const f of keep) {
        const why = writeBelow(abs, f.path, f.content);
        if (why) skipped.push({ path: printablePath(f.path), why });
        else written.push(f.path);
      }
      return { ok: true, folder: abs, written, skipped };
    }
    // a new or empty folder: filled beside it, then renamed into place whole
    const parent = dirname(abs);
    mkdirSync(parent, { recursive: true });
    const stage = mkdtempSync(join(parent, `.${basename(abs)}.xen-import-`));
    try {
      for (const f of keep) {
        const why = writeBelow(stage, f.path, f.content);
        if (why) skipped.push({ path: printablePath(f.path), why });
        else written.push(f.path);
      }
      if (exists) {
        // (rename replaces an empty folder on POSIX; elsewhere the empty folder goes first)
        try {
          renameSync(stage, abs);
        } catch {
          rmdirSync(abs);
          renameSync(stage, abs);
        }
      } else renameSync(stage, abs);
    } catch (e) {
      rmSync(stage, { recursive: true, force: true });
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOTEMPTY' || code === 'EEXIST') return { ok: false, reason: 'not-empty', error: `${abs} was filled meanwhile: not written` };
      return { ok: false, reason: 'failed', error: `${abs} could not be written: ${e instanceof Error ? e.message : String(e)}` };
    }
    return { ok: true, folder: abs, written, skipped };
  } catch (e) {
    return { ok: false, reason: 'failed', error: `${folder} could not be written: ${e instanceof Error ? e.message : String(e)}` };
  }
}

export type HostFetch = { ok: true; files: MirrorFile[]; skipped: MirrorSkip[] } | { ok: false; error: string };

/** Reads the host's files (every row of the table that apply sends) over ssh, read-only, and sorts them (sortFetched). */
export async function fetchHost(target: SshTarget, opts: RunOptions & { sudo?: boolean; label?: string } = {}): Promise<HostFetch> {
  const label = opts.label ?? target.destination;
  let r;
  try {
    r = await fetchFiles(target, HOST_PATH_PATTERNS, { timeoutMs: 60_000, ...opts, batch: true });
  } catch (e) {
    return { ok: false, error: `could not read ${label}'s files: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (r.overflow) return { ok: false, error: `could not read ${label}'s files: ${r.stderr}` };
  if (r.timedOut) return { ok: false, error: `could not read ${label}'s files: no answer within ${Math.round((opts.timeoutMs ?? 60_000) / 1000)} s` };
  if (r.code !== 0) {
    const why = r.stderr.trim().split('\n').slice(-2).join(' ').slice(0, 400);
    return {
      ok: false,
      error: `could not read ${label}'s files over ssh without a prompt (${r.code === null ? 'timed out' : `ssh exit ${r.code}`}${why ? `: ${why}` : ''})`,
    };
  }
  return { ok: true, ...sortFetched(r.files) };
}

/** The host's files of a local host folder (the table's sent rows found there): host path -> local path. Read through the folder's real path only. */
export function localHostFiles(folder: string, layout: HostLayout): Map<string, string> {
  const out = new Map<string, string>();
  const etc = layout === 'etc-tree' ? join(folder, 'etc') : folder;
  const rootReal = realPathOf(etc);
  if (!rootReal) return out;
  const add = (rel: string): void => {
    const hostPath = hostPathOf(layout, rel);
    if (hostPath === undefined || !isSendable(hostPath) || out.has(hostPath) || out.size >= MAX_MIRROR_FILES) return;
    const local = join(folder, ...rel.split('/'));
    if (confinedFile(rootReal, local, MAX_DISK_FILE)) out.set(hostPath, local);
  };
  const listed = new Set<string>();
  for (const pattern of HOST_PATH_PATTERNS) {
    const rel = localPathOf(layout, pattern);
    const slash = rel.lastIndexOf('/');
    const dirRel = slash < 0 ? '' : rel.slice(0, slash);
    if (!pattern.includes('*')) {
      add(rel);
      continue;
    }
    if (listed.has(dirRel)) continue;
    listed.add(dirRel);
    for (const name of boundedNames(join(folder, ...dirRel.split('/').filter(Boolean)), MAX_MIRROR_FILES).names) add(dirRel ? `${dirRel}/${name}` : name);
  }
  // a folder host may keep its files side by side (interfaces, vm1.cfg): hostPathOf knows their names
  if (layout === 'folder') for (const name of boundedNames(folder, MAX_MIRROR_FILES).names) add(name);
  return out;
}

export interface HostDifference {
  /** The path on the host. */
  path: string;
  /** changed: both hold it, not the same bytes; added: only the host holds it; missing: only the folder holds it. */
  state: 'changed' | 'added' | 'missing';
  /** The folder's file (changed, missing). */
  localPath?: string;
  /** The host's copy, fetched into the temporary folder (changed, added). */
  hostCopy?: string;
}

export type HostComparison =
  { ok: true; differences: HostDifference[]; same: string[]; skipped: MirrorSkip[]; hostFolder: string } | { ok: false; error: string };

/** The bytes of a file, or undefined. */
function bytesOf(p: string): Buffer | undefined {
  try {
    return readFileSync(p);
  } catch {
    return undefined;
  }
}

/**
 * What differs between a local host folder and the host now: the host's files fetched into a new
 * temporary folder (hostFolder: the caller removes it with removeTemporary), compared file by file
 * with the folder's. Read-only on both sides.
 */
export async function compareWithHost(
  target: SshTarget,
  folder: string,
  layout: HostLayout,
  opts: RunOptions & { sudo?: boolean; label?: string } = {},
): Promise<HostComparison> {
  const fetched = await fetchHost(target, opts);
  if (!fetched.ok) return fetched;
  const hostFolder = join(temporaryParent(), 'host');
  const w = writeMirror(hostFolder, fetched.files);
  if (!w.ok) {
    removeTemporary(hostFolder);
    return { ok: false, error: w.error };
  }
  const theirs = localHostFiles(hostFolder, 'etc-tree');
  const ours = localHostFiles(folder, layout);
  const differences: HostDifference[] = [];
  const same: string[] = [];
  for (const path of [...new Set([...theirs.keys(), ...ours.keys()])].sort()) {
    const h = theirs.get(path);
    const l = ours.get(path);
    if (h && !l) differences.push({ path, state: 'added', hostCopy: h });
    else if (l && !h) differences.push({ path, state: 'missing', localPath: l });
    else if (h && l) {
      const a = bytesOf(h);
      const b = bytesOf(l);
      if (a && b && a.equals(b)) same.push(path);
      else differences.push({ path, state: 'changed', localPath: l, hostCopy: h });
    }
  }
  return { ok: true, differences, same, skipped: [...fetched.skipped, ...w.skipped], hostFolder };
}

/** A new private folder (0700) under the system's temporary folder. */
export function temporaryParent(): string {
  return mkdtempSync(join(tmpdir(), 'xen-host-'));
}

/** Removes a folder made by temporaryParent (given it, or a folder inside it). */
export function removeTemporary(p: string): void {
  const top = basename(p).startsWith('xen-host-') ? p : dirname(p);
  if (!basename(top).startsWith('xen-host-') || dirname(top) !== tmpdir()) return;
  rmSync(top, { recursive: true, force: true });
}
