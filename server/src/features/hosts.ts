// xen/hosts: the hosts of the workspace folders and the globs of the files the client watches
// for the server (server/src/protocol/hosts.ts). A host is what the host checker makes of a
// folder: an etc/ tree found below a workspace folder (`<root>/etc/...`), or a workspace folder
// whose own files are the host's (the folder is the host's /etc, or holds its files side by side).
// Its files are the checker's disk listing; a host is listed when they hold what only a Xen host
// has (host/table.ts isXenEvidence), so that a folder whose only file of ours is a setup.cfg is
// not taken for one.
//
// A workspace folder that is this machine's `/`, `/etc` or a folder inside `/etc` (Remote-SSH to
// dom0) is this host (host/live.ts): its root is the system root, it is named by the machine's
// host name, and it is not walked (a walk of `/` would look at the whole disk).
//
// The search for etc/ folders (host/reader.ts foldersHoldingEtc) stays inside each workspace
// folder and within bounds: depth, folders looked at, entries per folder, and the server's time
// budget. Past a bound it answers what it found, with complete: false.
import { relative, sep } from 'node:path';
import { serverBudgetMs } from '../core/budget';
import type { HostIndex } from '../host/index';
import { foldersHoldingEtc, type HostSearch } from '../host/reader';
import { fileUriToPath } from '../core/uri';
import { hostWatchGlobs, isXenEvidence } from '../host/table';
import { hostNameOf, isLiveFolder, isLiveRoot, LIVE_ROOT } from '../host/live';
import type { HostsResult, WorkspaceHost } from '../protocol';

/** What the client watches: the host table's globs (host/table.ts). */
export const HOST_WATCH_GLOBS: readonly string[] = hostWatchGlobs();

/** vscode's encoding of a uri path segment: everything but letters, digits and `-._~` percent-encoded. */
function encodeSegment(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/** The hosts of the checker's workspace folders. */
export function workspaceHosts(checker: HostIndex, budgetMs: number = serverBudgetMs()): HostsResult {
  const walk: HostSearch = { deadline: Date.now() + budgetMs, folders: 0, complete: true };
  const hosts = new Map<string, WorkspaceHost>();
  const consider = (folder: string, probe: string) => {
    const place = checker.placeOf(probe);
    if (place === undefined) return;
    const root = place.key.startsWith('folder:') ? place.key.slice('folder:'.length) : place.key;
    if (hosts.has(root) || !checker.diskFilesOf(probe).some(isXenEvidence)) return;
    hosts.set(root, { root, layout: place.layout, name: hostNameOf(root), uri: probe, folder, ...(isLiveRoot(root) ? { live: true } : {}) });
  };
  // (shallowest first: a folder nested in another workspace folder is looked at from both)
  for (const folder of [...checker.workspaceFolders()].reverse()) {
    const top = fileUriToPath(folder + '/');
    if (top === undefined) continue;
    if (isLiveFolder(folder)) {
      // this machine's own files: its /etc, never a walk
      consider(folder, `${LIVE_ROOT}/etc/network/interfaces`);
      continue;
    }
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
