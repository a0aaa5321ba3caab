// Uris and paths, written once: a document's uri to its path (on disk, or as a plain string for
// other schemes), a path to a `file:` uri, and the split of a uri at its host's `/etc/` (the host
// root before it, the path on the host after it). Nothing here throws on a malformed uri.
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Whether a text starts with a uri scheme (`file:`, `untitled:`, `vscode-remote:`...). */
export function hasScheme(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(text);
}

/** decodeURIComponent, or the text as it is when it holds a malformed escape. */
export function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The path part of a uri, decoded, with forward slashes (`file:///ws/a%20b/x` -> `/ws/a b/x`);
 * a path given as it is comes back with forward slashes. For any scheme: this names the file, it
 * does not say where it is on disk (see fileUriToPath).
 */
export function pathOf(uriOrPath: string): string {
  // a scheme and its authority (`file://host`, `untitled:`); a drive letter (`C:\`) is no scheme
  const p = decodeSafe(uriOrPath.replace(/^(?:[a-z][a-z0-9+.-]+:(?:\/\/[^/]*)?|[a-z]:\/\/[^/]*)/i, ''));
  return p.replace(/\\/g, '/');
}

/** The path on disk of a `file:` uri; undefined for other schemes and for uris that name no local path. */
export function fileUriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** The `file:` uri of an absolute path on disk. */
export function pathToUri(path: string): string {
  return pathToFileURL(path).href;
}

/**
 * A folder given as a uri or an absolute path, as a uri without a trailing slash; undefined when
 * it is neither. The system root keeps its authority's slashes: `file:///` (and `/`) give
 * `file://`, the root key its `/etc/...` uris share, never `file:`.
 */
export function folderUri(root: unknown): string | undefined {
  if (typeof root !== 'string' || !root) return undefined;
  let r = root;
  if (!hasScheme(r)) {
    if (!r.startsWith('/')) return undefined;
    r = pathToUri(r);
  }
  return trimFolderUri(r);
}

/** A folder uri without its trailing slashes, but for a root: `file:///` and `file:` give `file://`. */
export function trimFolderUri(uri: string): string {
  const t = uri.replace(/\/+$/, '');
  return /^[a-z][a-z0-9+.-]*:$/i.test(t) ? t + '//' : t;
}

/** The last segment of a uri or path, decoded (`file:///ws/etc/xen/vm1.cfg` -> `vm1.cfg`). */
export function baseName(uriOrPath: string): string {
  const p = decodeSafe(uriOrPath).replace(/\\/g, '/');
  return p.slice(p.lastIndexOf('/') + 1);
}

/**
 * A uri or path split at its last `/etc/` segment: `root` the text before it (the host root; the
 * last `etc` wins, so a host may sit under a folder itself called etc) and `hostPath` the path on
 * the host from it (`/etc/network/interfaces`). Undefined when the text has no `/etc/`. The text
 * is split as given: pass pathOf(uri) for a decoded path.
 */
export function splitAtEtc(uriOrPath: string): { root: string; hostPath: string } | undefined {
  const i = uriOrPath.lastIndexOf('/etc/');
  return i < 0 ? undefined : { root: uriOrPath.slice(0, i), hostPath: uriOrPath.slice(i) };
}

/** The host root of a uri: the uri up to its last `/etc/` segment, or undefined when it has none. */
export function hostRootKey(uri: string): string | undefined {
  return splitAtEtc(uri)?.root;
}

/**
 * A uri relative to a folder uri (decoded: `etc/network/interfaces`), when it lies under it;
 * else undefined.
 */
export function relativeTo(root: string, uri: string): string | undefined {
  const r = trimFolderUri(root);
  return uri.startsWith(r + '/') ? decodeSafe(uri.slice(r.length + 1)) : undefined;
}
