// xen/hosts: the hosts of the workspace folders and the globs of the files the client watches
// for the server (server/src/protocol/hosts.ts). A host is what the host checker makes of a
// folder: an etc/ tree found below a workspace folder (`<root>/etc/...`), or a workspace folder
// whose own files are the host's (the folder is the host's /etc, or holds its files side by side).
// Its files are the checker's disk listing; a host is listed when they hold what only a Xen host
// has (an interfaces file, xend-config.sxp, xl.conf, an .xl or .xm file, a file of a xen/ folder),
// so that a folder whose only file of ours is a setup.cfg is not taken for one.
//
// The search for etc/ folders stays inside each workspace folder (no symbolic link to a folder is
// followed; node_modules and .git are skipped) and within bounds: depth, folders looked at,
// entries per folder, and the server's time budget. Past a bound it answers what it found, with
// complete: false.
import { opendirSync, type Dirent } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { Connection } from 'vscode-languageserver';
import { serverBudgetMs } from '../core/budget';
import type { HostIndex } from '../host/index';
import { pathOfFileUri } from '../host/reader';
import { hostWatchGlobs } from '../host/table';
import { HostsRequest, type HostsResult, type WorkspaceHost } from '../protocol';

/** What the client watches: the host table's globs (host/table.ts). */
export const HOST_WATCH_GLOBS: readonly string[] = hostWatchGlobs();

/** Folders below a workspace folder at which an etc/ folder is looked for, at most. */
export const MAX_DEPTH = 8;
/** Folders looked into per request, at most (all workspace folders together). */
export const MAX_FOLDERS = 20_000;
/** Entries read from one folder, at most. */
const MAX_ENTRIES = 10_000;
const SKIPPED = new Set(['node_modules', '.git']);

/** vscode's encoding of a uri path segment: everything but letters, digits and `-._~` percent-encoded. */
function encodeSegment(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Whether one of a host's files says it is a Xen host (see the top of this file). */
function isXenEvidence(f: { path: string; languageId: string }): boolean {
  if (f.languageId === 'debian-interfaces' || f.languageId === 'xen-xend-config') return true;
  if (f.languageId !== 'xen-domain') return false;
  const name = basename(f.path);
  return name === 'xl.conf' || name.endsWith('.xl') || name.endsWith('.xm') || basename(dirname(f.path)) === 'xen';
}

interface Walk {
  deadline: number;
  folders: number;
  complete: boolean;
}

/** The folders below top (top included) that hold an entry named etc, breadth first, within the walk's bounds. */
function foldersHoldingEtc(top: string, walk: Walk): string[] {
  const found: string[] = [];
  let level: string[] = [top];
  for (let depth = 0; depth <= MAX_DEPTH && level.length; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      if (walk.folders >= MAX_FOLDERS || Date.now() > walk.deadline) {
        walk.complete = false;
        return found;
      }
      walk.folders++;
      let d;
      try {
        d = opendirSync(dir);
      } catch {
        continue;
      }
      try {
        let n = 0;
        for (let e: Dirent | null = d.readSync(); e !== null; e = d.readSync()) {
          if (++n > MAX_ENTRIES) {
            walk.complete = false;
            break;
          }
          // (an etc that is a link is the checker's to accept or refuse: it reads only inside the host)
          if (e.name === 'etc' && (e.isDirectory() || e.isSymbolicLink())) found.push(dir);
          else if (e.isDirectory() && !SKIPPED.has(e.name) && depth < MAX_DEPTH) next.push(join(dir, e.name));
        }
      } catch {
        /* unreadable part way: what was read */
      } finally {
        try {
          d.closeSync();
        } catch {
          /* already closed */
        }
      }
    }
    level = next.sort();
  }
  return found;
}

/** The hosts of the checker's workspace folders. */
export function workspaceHosts(checker: HostIndex, budgetMs: number = serverBudgetMs()): HostsResult {
  const walk: Walk = { deadline: Date.now() + budgetMs, folders: 0, complete: true };
  const hosts = new Map<string, WorkspaceHost>();
  const consider = (folder: string, probe: string) => {
    const place = checker.placeOf(probe);
    if (place === undefined) return;
    const root = place.key.startsWith('folder:') ? place.key.slice('folder:'.length) : place.key;
    if (hosts.has(root) || !checker.diskFilesOf(probe).some(isXenEvidence)) return;
    hosts.set(root, { root, layout: place.layout, name: decode(root).split('/').pop() || root, uri: probe, folder });
  };
  // (shallowest first: a folder nested in another workspace folder is looked at from both)
  for (const folder of [...checker.workspaceFolders()].reverse()) {
    const top = pathOfFileUri(folder + '/');
    if (top === undefined) continue;
    // the folder's own files (a name of the folder layout; in a folder below an etc/, that etc/ tree's host)
    consider(folder, `${folder}/interfaces`);
    for (const dir of foldersHoldingEtc(top, walk)) {
      const rel = relative(top, dir);
      const root = rel === '' ? folder : `${folder}/${rel.split(sep).map(encodeSegment).join('/')}`;
      consider(folder, `${root}/etc/network/interfaces`);
    }
    if (!walk.complete) break;
  }
  return { hosts: [...hosts.values()].sort((a, b) => (a.root < b.root ? -1 : a.root > b.root ? 1 : 0)), watch: [...HOST_WATCH_GLOBS], complete: walk.complete };
}

/** Registers xen/hosts; a failure is logged and answered with no host. */
export function registerHosts(connection: Connection, checker: HostIndex, reportError: (what: string, err: unknown) => void): void {
  connection.onRequest(HostsRequest, () => {
    try {
      return workspaceHosts(checker);
    } catch (err) {
      reportError('listing the hosts', err);
      return { hosts: [], watch: [...HOST_WATCH_GLOBS], complete: false };
    }
  });
}
