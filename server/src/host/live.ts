// This machine as a host: a workspace folder that is `/`, `/etc` or a folder inside `/etc` (what
// VS Code's Remote-SSH to dom0 opens, the extension and its server running on dom0) holds the
// live files of the machine the server runs on. Its host root is the system root (the key every
// `file:///etc/...` uri already shares: `file://`), its /etc is /etc, and it is named by the
// machine's host name. Such a folder is never walked for etc/ trees (a walk of `/` would look at
// the whole disk); its files outside the folder (/etc/network/interfaces when the folder is
// /etc/xen) are read as every host's are: read-only, through /etc's real path, only the host
// table's rows (host/reader.ts).
import { hostname } from 'node:os';
import { decodeSafe, fileUriToPath } from '../core/uri';
import { realPathOf } from '../core/confine';
import type { HostPlace } from './reader';
import { rowOfHostPath } from './table';

/** The root key of this machine's host: what `file:///etc/...` uris have before their `/etc/`. */
export const LIVE_ROOT = 'file://';

/** The place of this machine's host: its /etc, as an etc/ tree whose root is the system root. */
export const LIVE_PLACE: Readonly<HostPlace> = Object.freeze({ key: LIVE_ROOT, folderUri: LIVE_ROOT, etcPath: '/etc', layout: 'etc-tree' as const });

/** The path of a local folder uri (or undefined), without a trailing slash (`/` stays `/`). */
function folderPath(folder: string): string | undefined {
  const p = fileUriToPath(folder.replace(/\/+$/, '') + '/');
  if (p === undefined) return undefined;
  const t = p.replace(/\/+$/, '');
  return t === '' ? '/' : t;
}

/** Whether a folder (a `file:` uri, with or without a trailing slash) is this machine's `/`, `/etc` or a folder inside `/etc`. */
export function isLiveFolder(folder: string): boolean {
  const p = folderPath(folder);
  return p !== undefined && (p === '/' || p === '/etc' || p.startsWith('/etc/'));
}

/** Whether a host root (a HostPlace key or a WorkspaceHost root) is this machine's (`file://`, and the `file:`/`file:///` it is sometimes written as). */
export function isLiveRoot(root: string): boolean {
  return root === LIVE_ROOT || root === 'file:' || root === 'file:///';
}

/** What this machine is called as a host: its host name, said to be this host. */
export function liveHostName(): string {
  let name = '';
  try {
    name = hostname();
  } catch {
    name = '';
  }
  return `${name || 'this machine'} (this host)`;
}

/** A host's short name: this machine's host name for the live host, else the root folder's name. */
export function hostNameOf(root: string): string {
  if (isLiveRoot(root)) return liveHostName();
  return decodeSafe(root.replace(/\/+$/, '')).split('/').pop() || root;
}

/**
 * Whether a file of this machine's host may be read: its path and its real path (every link
 * resolved) are both paths of the host table (host/table.ts). On a live /etc a link or a `source`
 * line naming /etc/shadow, or a domain file linked to it, is never read: only the host's own files.
 */
export function liveReadable(path: string): boolean {
  if (rowOfHostPath(path) === undefined) return false;
  const real = realPathOf(path);
  return real !== undefined && rowOfHostPath(real) !== undefined;
}

/** Whether a place is this machine's host. */
export function isLivePlace(place: Pick<HostPlace, 'key'>): boolean {
  return place.key === LIVE_ROOT;
}
