// The host model in the server: the open documents grouped by host root (the folder holding
// their etc/ tree), completed from disk with the host's other files when the documents are
// file: uris, checked as a whole by host/checks. Open documents win over disk. Parses are kept
// per file (open: per version; disk: per mtime and size), and a whole check is kept until one of
// its inputs changes, so every file of a host shares one check per edit.
import { dirname, join, relative, sep } from 'node:path';
import { fileUriToPath, hostRootKey, pathToUri } from '../core/uri';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { Settings } from '../core/settings';
import { buildHostFromParsed, inSubnet, normalizeMac, parseHostFile, type Guest, type GuestCache, type HostModel, type ParsedHostFile } from '../host/model';
import { freeAddresses } from '../host/free';
import { checkHost, FIX_CHOICES } from '../host/checks';
import { compileWildcard, hasWildcard, wildcardMatch } from '../core/wildcard';
import { checkpoint, isBudgetExceeded } from '../core/budget';
import { boundedNames, confinedDir, confinedFile, insideReal, readConfined, realPathOf } from '../core/confine';

/** An open document as the server's document store has it. */
export interface OpenText {
  uri: string;
  languageId: string;
  version: number;
  getText(): string;
}

export interface HostCheck {
  /** The uri prefix before `/etc/` shared by the host's files. */
  root: string;
  model: HostModel;
  /** host/* diagnostics per file of the host (an entry, possibly empty, for every file). */
  diagnostics: Map<string, Diagnostic[]>;
  /** Identifies the files' contents the check was made from: a new key whenever any file of the host changed. */
  filesKey: string;
  /** How many files this check computed the diagnostics of (the others kept theirs). */
  rechecked: number;
}

/** Whether the host's mode and routed subnet are read from files other than the guests' (so a guest's edit cannot change them). */
function guestIndependent(model: HostModel): boolean {
  const modeFrom = model.mode.source;
  const subnetFrom = model.subnet?.source.kind;
  return (modeFrom === 'xend' || modeFrom === 'xl-conf') && (subnetFrom === 'setting' || subnetFrom === 'gateway-stanza');
}

function sameContext(a: HostModel, b: HostModel): boolean {
  return a.mode.mode === b.mode.mode && a.subnet?.cidr === b.subnet?.cidr && a.gateway?.address === b.gateway?.address && a.gateway?.interface === b.gateway?.interface && a.files.size === b.files.size;
}

/** The addresses, MACs and name a guest holds (what other guests' verdicts depend on). */
function holdings(g: Guest | undefined): { addresses: string[]; macs: string[]; name?: string } {
  if (!g) return { addresses: [], macs: [] };
  const addresses: string[] = [];
  const macs: string[] = [];
  for (const v of g.vifs) {
    for (const a of v.ips) addresses.push(a.address);
    const m = v.mac?.value !== undefined ? normalizeMac(v.mac.value.trim()) : undefined;
    if (m) macs.push(m);
  }
  if (g.top.ip) addresses.push(g.top.ip.address);
  return { addresses, macs, name: g.name?.text };
}

function guestMacs(g: Guest): string[] {
  return holdings(g).macs;
}

/**
 * The files whose host/* verdict can change when `uri` (a domain file) changed from the previous
 * check's model to `model`: the file itself; every file that uses an address, a MAC or the name
 * the guest held before or holds now (the address index answers for addresses); all guests when
 * the number of routed guests is or was over the subnet's capacity; and, when the first free
 * addresses changed, every file whose diagnostics offer them as fixes.
 */
function affectedBy(previous: HostCheck, model: HostModel, uri: string): Set<string> {
  const out = new Set<string>([uri]);
  const before = previous.model.guests.find((g) => g.uri === uri);
  const after = model.guests.find((g) => g.uri === uri);
  const was = holdings(before);
  const now = holdings(after);
  for (const m of [previous.model, model]) {
    for (const a of [...was.addresses, ...now.addresses]) for (const u of m.addresses.get(a) ?? []) out.add(u.uri);
  }
  const macs = new Set([...was.macs, ...now.macs]);
  const names = new Set([was.name, now.name].filter((n): n is string => !!n));
  if (macs.size || names.size) {
    for (const m of [previous.model, model]) {
      for (const g of m.guests) {
        if (g.name && names.has(g.name.text)) out.add(g.uri);
        else if (macs.size && guestMacs(g).some((x) => macs.has(x))) out.add(g.uri);
      }
    }
  }
  // more routed guests than addresses: which ones are "one too many" depends on all of them
  const over = (m: HostModel) => {
    if (!m.subnet || m.mode.mode !== 'routed') return false;
    const routed = m.guests.filter((g) => g.vifs.some((v) => v.mode === 'routed')).length;
    const gwInside = m.gateway && inSubnet(m.subnet, m.gateway.address) ? 1 : 0;
    return routed > Math.max(0, m.subnet.usableCount - gwInside);
  };
  if (over(previous.model) || over(model)) for (const g of model.guests) out.add(g.uri);
  // the free addresses that quick fixes offer
  const firstFree = (m: HostModel) => freeAddresses(m, { limit: FIX_CHOICES }).addresses.join(' ');
  if (firstFree(previous.model) !== firstFree(model)) {
    for (const [u, diags] of previous.diagnostics) {
      if (diags.some((d) => d.data && typeof d.data === 'object' && 'free' in (d.data as object))) out.add(u);
    }
  }
  return out;
}

/** A file's own diagnostics that a host diagnostic says better, when both are there (the host one names the other file). */
const SUPERSEDED_BY: Record<string, string> = {
  'sxp/script-pair': 'host/script-modes-differ',
};

/** A file's own diagnostics and its host's, without saying one thing twice. */
export function mergeHostDiagnostics(own: Diagnostic[], host: Diagnostic[]): Diagnostic[] {
  // `auto X` in a file that sources others: the host check read them, and says host/auto-without-iface when none defines X
  own = own.filter((d) => !(d.code === 'interfaces/auto-without-iface' && (d.data as { sourced?: boolean } | undefined)?.sourced));
  if (!host.length) return own;
  const hostCodes = new Set(host.map((d) => String(d.code)));
  return own.filter((d) => !hostCodes.has(SUPERSEDED_BY[String(d.code)] ?? '')).concat(host);
}

/** Files bigger than this are not read from disk (a host's configuration is a few KB). */
export const MAX_DISK_FILE = 2 * 1024 * 1024;
/** Domain files read from one etc/xen folder at most. */
const MAX_DOMAIN_FILES = 5000;

interface DiskFile {
  uri: string;
  path: string;
  stamp: string;
  languageId: string;
}

/** Where a host's files are: under `<root>/etc/` (a mirror of the host), or in a workspace folder that is the host's /etc itself or holds its files side by side. */
interface HostPlace {
  /** The key the host's files share. */
  key: string;
  /** The folder that stands for the host's /etc, on disk (undefined for non-file uris). */
  etcPath?: string;
  layout: 'etc-tree' | 'folder';
}

/** Entries of one folder the disk listing looks at, at most (a host's etc/xen holds a few hundred). */
const MAX_LISTED = 20_000;

/**
 * The real path of the folder that stands for the host's /etc, the bound of every read of the
 * host's files; undefined when there is none. For a host of an etc/ tree, the etc folder must lie
 * in the folder holding it (a repository's `etc -> /etc` is not this machine's /etc to read).
 */
export function hostEtcReal(place: HostPlace): string | undefined {
  if (place.etcPath === undefined) return undefined;
  const etcReal = realPathOf(place.etcPath);
  if (etcReal === undefined) return undefined;
  if (place.layout === 'etc-tree') {
    const rootReal = realPathOf(dirname(place.etcPath));
    if (rootReal === undefined || !insideReal(rootReal, etcReal) || etcReal === rootReal) return undefined;
  }
  return etcReal;
}

/** The host's files on disk, as the host model knows them: plain files whose real path lies in the host's /etc (see confinedFile). */
function listDisk(place: HostPlace): DiskFile[] {
  const out: DiskFile[] = [];
  const seen = new Set<string>();
  const etc = place.etcPath;
  const etcReal = hostEtcReal(place);
  if (etc === undefined || etcReal === undefined) return out;
  const add = (path: string, languageId: string) => {
    if (seen.has(path)) return;
    const f = confinedFile(etcReal, path, MAX_DISK_FILE);
    if (!f) return;
    seen.add(path);
    out.push({ uri: pathToUri(path), path, stamp: `${f.mtimeMs}:${f.size}`, languageId });
  };
  const domainFiles = (dir: string, test: (n: string) => boolean) => {
    for (const n of boundedNames(dir, MAX_LISTED).names.filter(test).slice(0, MAX_DOMAIN_FILES)) add(join(dir, n), 'xen-domain');
  };
  add(join(etc, 'network', 'interfaces'), 'debian-interfaces');
  add(join(etc, 'modules'), 'kernel-modules');
  add(join(etc, 'xen', 'xend-config.sxp'), 'xen-xend-config');
  add(join(etc, 'xen', 'xl.conf'), 'xen-domain');
  domainFiles(join(etc, 'xen'), (n) => n.endsWith('.cfg'));
  // IP forwarding (what xend's network-route used to turn on): sysctl.d files in name order, then sysctl.conf
  for (const n of boundedNames(join(etc, 'sysctl.d'), MAX_LISTED).names.filter((x) => x.endsWith('.conf')).slice(0, 200)) add(join(etc, 'sysctl.d', n), 'sysctl');
  add(join(etc, 'sysctl.conf'), 'sysctl');
  if (place.layout === 'folder') {
    // the files side by side in the folder, by their names
    add(join(etc, 'interfaces'), 'debian-interfaces');
    add(join(etc, 'modules'), 'kernel-modules');
    add(join(etc, 'xend-config.sxp'), 'xen-xend-config');
    add(join(etc, 'xl.conf'), 'xen-domain');
    domainFiles(etc, (n) => n.endsWith('.cfg') || n.endsWith('.xl') || n.endsWith('.xm'));
  }
  return out;
}

/** Whether name matches a shell glob (`*`, `?`, `[...]`, `[!...]`), as ifupdown's `source` expands it (core/wildcard: linear, no regular expression). */
export function globMatch(glob: string, name: string): boolean {
  return wildcardMatch(glob, name);
}

/** run-parts' rule for the files `source-directory` reads: letters, digits, `_` and `-` only. */
const RUN_PARTS_NAME = /^[A-Za-z0-9_-]+$/;

/** Folder entries one `source` line may look at, all segments together (ifupdown's glob has no bound; ours must). */
export const MAX_SOURCE_VISITS = 20_000;

/**
 * The files a `source PATTERN` or `source-directory DIR` line of an interfaces file names, on the
 * host whose /etc is mirrored at etcPath: a path of the host (`/etc/network/interfaces.d/*`) is
 * read under etcPath, a relative one from the folder of the file that names it. Wildcards may be
 * in any segment. Sorted, as ifupdown reads them.
 *
 * Confined to the host: nothing outside etcPath's real path is named (a `..` that would climb out
 * of it ends the walk, as does an absolute path outside /etc), no symbolic link to a folder is
 * walked into, a file is named only when it is a plain file whose real path lies inside the host,
 * and at most maxVisits (MAX_SOURCE_VISITS) folder entries are looked at. The paths returned are under etcPath
 * as given (not resolved), so they compare with the editor's uris.
 */
export function resolveSourced(etcPath: string, fromPath: string, kind: 'source' | 'source-directory', pattern: string, maxVisits = MAX_SOURCE_VISITS): string[] {
  const rootReal = realPathOf(etcPath);
  if (rootReal === undefined) return [];
  // the naming file's folder, as segments below the host's /etc
  let startSegs: string[];
  if (pattern.startsWith('/')) {
    if (!pattern.startsWith('/etc/')) return [];
    pattern = pattern.slice('/etc/'.length);
    startSegs = [];
  } else {
    const fromReal = realPathOf(dirname(fromPath));
    if (fromReal === undefined || !insideReal(rootReal, fromReal)) return [];
    const rel = relative(rootReal, fromReal);
    startSegs = rel === '' ? [] : rel.split(sep);
  }
  const segs = pattern.split('/').filter((x) => x !== '' && x !== '.');
  let visits = 0;
  const pathOf = (at: string[]) => join(etcPath, ...at);
  const realOf = (at: string[]) => join(rootReal, ...at);
  /** The file at `at` when ifupdown would read it and it stays in the host. */
  const fileOk = (at: string[]) => confinedFile(rootReal, realOf(at), MAX_DISK_FILE) !== undefined;
  /** A folder to walk into: a folder itself, not a link to one. */
  const dirOk = (at: string[]) => confinedDir(rootReal, realOf(at));
  const list = (at: string[]): string[] => {
    if (visits >= maxVisits) return [];
    const { names } = boundedNames(realOf(at), maxVisits - visits);
    visits += names.length;
    return names;
  };

  if (kind === 'source-directory') {
    const at = [...startSegs];
    for (const seg of segs) {
      if (seg === '..') {
        if (!at.length) return [];
        at.pop();
      } else at.push(seg);
    }
    if (!dirOk(at)) return [];
    return list(at)
      .filter((n) => RUN_PARTS_NAME.test(n) && fileOk([...at, n]))
      .map((n) => pathOf([...at, n]));
  }
  // expand segment by segment from the folder of the naming file; every entry of `current` is a
  // folder of the host (bar the last segment's), reached without a link
  let current: string[][] = [startSegs];
  for (let k = 0; k < segs.length && current.length; k++) {
    const seg = segs[k];
    const last = k === segs.length - 1;
    const next: string[][] = [];
    for (const at of current) {
      if (seg === '..') {
        // out of the host's /etc: not followed
        if (at.length) next.push(at.slice(0, -1));
        continue;
      }
      if (!hasWildcard(seg)) {
        const to = [...at, seg];
        if (last ? fileOk(to) : dirOk(to)) next.push(to);
        continue;
      }
      const glob = compileWildcard(seg);
      const dotOk = seg.startsWith('.');
      for (const n of list(at)) {
        checkpoint();
        if ((n.startsWith('.') && !dotOk) || !glob.matches(n)) continue;
        const to = [...at, n];
        if (last ? fileOk(to) : dirOk(to)) next.push(to);
        if (next.length >= MAX_DOMAIN_FILES) break;
      }
      if (next.length >= MAX_DOMAIN_FILES) break;
    }
    current = next;
  }
  // a pattern that names a folder (`source interfaces.d/..`, `source .`) names no file
  if (!segs.length || segs[segs.length - 1] === '..') return [];
  return current.map(pathOf);
}

/**
 * How long a listing of a host's files on disk is trusted. Listing stats every file of the host,
 * so it is done once per host and not once per check (a host of 1,000 guests would otherwise stat
 * a million files while its documents open). Changes the editor reports (saves, closes, watched
 * files) drop the listing at once; this bound only covers changes nobody reported.
 */
export const DISK_LISTING_TTL_MS = 3000;

/** A file's parse, the stamp it was read at (`v<version>` or mtime:size) and its content's hash. */
type FileCache = Map<string, { stamp: string; hash: string; parsed: ParsedHostFile | undefined }>;

/** Two 32-bit FNV-1a style hashes of the UTF-16 code units, and the length: tells an edited file from its old text. */
function contentHash(text: string): string {
  let h = 0x811c9dc5;
  let g = 0x9747b28c;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h = Math.imul(h ^ c, 0x01000193);
    g = Math.imul(g ^ c, 0x5bd1e995);
  }
  return `${text.length.toString(36)}.${(h >>> 0).toString(36)}.${(g >>> 0).toString(36)}`;
}

/**
 * For tests only: how much host checking ran in this process. passes: the checks that looked at
 * a host's files (a check answered from the cache without looking is not one); files: the files
 * looked at in those passes. A caller that checks a host once per file of it does passes × files
 * work, quadratic in the files of the host.
 */
export const hostCheckWork = { passes: 0, files: 0 };

export class HostChecker {
  /** Per host root path: its files on disk and when they were listed. */
  private readonly disk = new Map<string, { at: number; files: DiskFile[] }>();
  /** Per `source` line (root, file, kind, pattern): the files it names on disk and when they were listed. */
  private readonly sourcedLists = new Map<string, { at: number; files: DiskFile[] }>();
  /** Per host root: per file uri, its parse and what it was parsed from. */
  private readonly parses = new Map<string, FileCache>();
  private readonly checks = new Map<string, { settingsKey: string; check: HostCheck }>();
  /** Guests read from each domain file's syntax tree (reused while the tree is). */
  private readonly guestCache: GuestCache = new WeakMap();
  /**
   * With trackDocuments(): a counter of the changes the owner reports (documents opened, changed,
   * closed; files on disk; settings), and the counter and time each host was last checked at. A
   * check asked for again with nothing reported since, within the disk listing's period, is answered
   * without looking at the documents: opening a host of 1,000 files then costs one look at them
   * per open, not one per open per file.
   */
  private tracking = false;
  private builds = 0;
  private generation = 0;
  private readonly checkedAt = new Map<string, { generation: number; at: number }>();

  /** The owner will call documentsChanged() whenever a document is opened, changed or closed. */
  trackDocuments(): void {
    this.tracking = true;
  }

  /** A document was opened, changed or closed. */
  documentsChanged(): void {
    this.generation++;
  }
  /** file: uri -> path, for the open documents (converting is not free, and it happens per check per document). */
  private readonly paths = new Map<string, string | undefined>();
  /** The workspace folders (uris without a trailing slash), deepest first: a file under none of the etc/ trees belongs to the host of its folder. */
  private folders: string[] = [];
  /** uri -> its host's place (computed once per uri). */
  private readonly places = new Map<string, HostPlace | undefined>();

  /** The workspace folders: each is the host of its files that lie in no etc/ tree (the folder is the host's /etc, or holds its files side by side). */
  setWorkspaceFolders(uris: string[]): void {
    this.folders = [...new Set(uris.map((u) => u.replace(/\/+$/, '')))].sort((a, b) => b.length - a.length);
    this.places.clear();
    this.clear();
  }

  /** Where uri's host keeps its files; undefined when uri is in no etc/ tree and no workspace folder. */
  placeOf(uri: string): HostPlace | undefined {
    if (this.places.has(uri)) return this.places.get(uri);
    let place: HostPlace | undefined;
    const key = hostRootKey(uri);
    if (key !== undefined) {
      const rootPath = fileUriToPath(key + '/');
      place = { key, etcPath: rootPath === undefined ? undefined : join(rootPath, 'etc'), layout: 'etc-tree' };
    } else {
      const folder = this.folders.find((f) => uri.startsWith(f + '/'));
      if (folder !== undefined) place = { key: `folder:${folder}`, etcPath: fileUriToPath(folder + '/'), layout: 'folder' };
    }
    if (this.places.size > 100_000) this.places.clear();
    this.places.set(uri, place);
    return place;
  }

  /** The key of uri's host (files of one host share it), or undefined. */
  hostKey(uri: string): string | undefined {
    return this.placeOf(uri)?.key;
  }

  private pathOf(uri: string): string | undefined {
    if (!this.paths.has(uri)) {
      if (this.paths.size > 100_000) this.paths.clear();
      this.paths.set(uri, fileUriToPath(uri));
    }
    return this.paths.get(uri);
  }

  /**
   * Checks the host of uri, from the open documents and (for file: uris) the disk. Undefined when
   * uri belongs to no host (no etc/ in its path) or is not a file of the host model. Throws only
   * BudgetExceeded (under core/budget's withBudget).
   */
  check(uri: string, open: Iterable<OpenText>, settings: Settings): HostCheck | undefined {
    try {
      const check = this.checkUnsafe(uri, open, settings);
      return check?.diagnostics.has(uri) ? check : undefined;
    } catch (err) {
      // (a spent time budget is the caller's to report)
      if (isBudgetExceeded(err)) throw err;
      return undefined;
    }
  }

  /** The check of the whole host that uri lies in (uri need not be a file of it, nor exist). Throws only BudgetExceeded. */
  checkHostOf(uri: string, open: Iterable<OpenText>, settings: Settings): HostCheck | undefined {
    try {
      return this.checkUnsafe(uri, open, settings);
    } catch (err) {
      if (isBudgetExceeded(err)) throw err;
      return undefined;
    }
  }

  /** Forgets everything (settings changed, or a file on disk may have). */
  clear(): void {
    this.generation++;
    this.parses.clear();
    this.checks.clear();
    this.disk.clear();
    this.sourcedLists.clear();
  }

  /** A file of uri's host may have changed on disk: list the host's files again at its next check. */
  diskChanged(uri: string): void {
    this.generation++;
    const place = this.placeOf(uri);
    if (place === undefined) return;
    this.disk.delete(place.key);
    for (const k of this.sourcedLists.keys()) if (k.startsWith(place.key + '\0')) this.sourcedLists.delete(k);
  }

  /** The files of one `source` line on disk, listed and stat'ed at most once per listing period. */
  private sourcedCached(place: HostPlace, etcPath: string, fromPath: string, kind: 'source' | 'source-directory', pattern: string): DiskFile[] {
    const key = `${place.key}\0${fromPath}\0${kind}\0${pattern}`;
    const now = Date.now();
    const hit = this.sourcedLists.get(key);
    if (hit && now - hit.at < DISK_LISTING_TTL_MS) return hit.files;
    const files: DiskFile[] = [];
    const etcReal = hostEtcReal(place);
    const named = etcReal === undefined ? [] : resolveSourced(etcPath, fromPath, kind, pattern).slice(0, MAX_DOMAIN_FILES);
    for (const path of named) {
      // (a missing file: ifupdown skips it too; one that leaves the host is not read)
      const f = confinedFile(etcReal!, path, MAX_DISK_FILE);
      if (f) files.push({ uri: pathToUri(path), path, stamp: `${f.mtimeMs}:${f.size}`, languageId: 'debian-interfaces' });
    }
    if (this.sourcedLists.size > 10_000) this.sourcedLists.clear();
    this.sourcedLists.set(key, { at: now, files });
    return files;
  }

  private listDiskCached(place: HostPlace): DiskFile[] {
    const now = Date.now();
    const hit = this.disk.get(place.key);
    if (hit && now - hit.at < DISK_LISTING_TTL_MS) return hit.files;
    const files = listDisk(place);
    this.disk.set(place.key, { at: now, files });
    return files;
  }

  /**
   * Forgets all that was kept of the host of uris[0] (its parses, check and listings) and of the
   * uris themselves: a caller done with that host.
   */
  release(uris: string[]): void {
    if (!uris.length) return;
    const place = this.placeOf(uris[0]);
    if (place === undefined) return;
    this.generation++;
    this.parses.delete(place.key);
    this.checks.delete(place.key);
    this.checkedAt.delete(place.key);
    this.disk.delete(place.key);
    for (const k of this.sourcedLists.keys()) if (k.startsWith(place.key + '\0')) this.sourcedLists.delete(k);
    for (const u of uris) {
      this.places.delete(u);
      this.paths.delete(u);
    }
  }

  /** Forgets what was kept of uri (closed: a reopened document starts again at version 1). */
  forget(uri: string): void {
    this.generation++;
    const root = this.hostKey(uri);
    if (root === undefined) return;
    this.parses.get(root)?.delete(uri);
    this.checks.delete(root);
    this.diskChanged(uri);
  }

  /** The open documents of the same host as uri (uri included when open). */
  openOfHost(uri: string, open: Iterable<OpenText>): OpenText[] {
    const root = this.hostKey(uri);
    if (root === undefined) return [];
    return [...open].filter((d) => this.hostKey(d.uri) === root);
  }

  private checkUnsafe(uri: string, open: Iterable<OpenText>, settings: Settings): HostCheck | undefined {
    const place = this.placeOf(uri);
    if (place === undefined) return undefined;
    const root = place.key;
    const settingsKey = `${settings.network.routedSubnet}|${settings.network.gatewayInterface}`;
    // (within the disk listing's period only: changes on disk that nobody reported are seen after it)
    const last = this.checkedAt.get(root);
    const now = Date.now();
    if (this.tracking && last && last.generation === this.generation && now - last.at < DISK_LISTING_TTL_MS) {
      const hit = this.checks.get(root);
      if (hit && hit.settingsKey === settingsKey) return hit.check;
    }
    this.checkedAt.set(root, { generation: this.generation, at: now });
    hostCheckWork.passes++;
    let cache = this.parses.get(root);
    if (!cache) this.parses.set(root, (cache = new Map()));

    // Every file of the host with its parse, each file known by its content: an open document
    // whose text is what the disk holds (every file just opened) changes nothing, so opening a
    // host's files one by one does not rebuild its model each time.
    const next: FileCache = new Map();
    let changed = false;
    const changedUris: string[] = [];
    const take = (fileUri: string, languageId: string, stamp: string, text: () => string | undefined) => {
      checkpoint();
      hostCheckWork.files++;
      const before = cache!.get(fileUri);
      let entry = before;
      if (!entry || entry.stamp !== stamp) {
        const t = text();
        const hash = t === undefined ? 'unreadable' : contentHash(t);
        entry =
          entry && entry.hash === hash
            ? { ...entry, stamp }
            : { stamp, hash, parsed: t === undefined ? undefined : parseHostFile({ uri: fileUri, languageId, text: t }) };
      }
      if (!before || before.hash !== entry.hash) {
        changed = true;
        changedUris.push(fileUri);
      }
      next.set(fileUri, entry);
    };
    const openPaths = new Set<string>();
    for (const d of open) {
      if (this.hostKey(d.uri) !== root) continue;
      take(d.uri, d.languageId, `v${d.version}`, () => d.getText());
      const p = this.pathOf(d.uri);
      if (p) openPaths.add(p);
    }
    const etcPath = place.etcPath;
    // every file read from disk is read again through the host's real path (a file replaced by a link since it was listed is not read)
    const etcReal = etcPath === undefined ? undefined : hostEtcReal(place);
    if (etcPath !== undefined) {
      for (const f of this.listDiskCached(place)) {
        if (openPaths.has(f.path)) continue;
        take(f.uri, f.languageId, f.stamp, () => (etcReal === undefined ? undefined : readConfined(etcReal, f.path, MAX_DISK_FILE)));
      }
    }
    // the files that interfaces files `source` (ifupdown reads them as part of the file), nested
    if (etcPath !== undefined) {
      const done = new Set<string>();
      for (let round = 0; round < 8; round++) {
        const sourced: DiskFile[] = [];
        for (const [u, entry] of next) {
          const parsed = entry.parsed;
          if (done.has(u) || parsed?.role !== 'interfaces') continue;
          done.add(u);
          const from = this.pathOf(u);
          if (from === undefined) continue;
          for (const st of parsed.ast.stanzas) {
            if (st.kind !== 'source' && st.kind !== 'source-directory') continue;
            for (const w of st.paths) sourced.push(...this.sourcedCached(place, etcPath, from, st.kind, w.text));
          }
        }
        let added = 0;
        for (const f of sourced) {
          if (next.has(f.uri) || openPaths.has(f.path)) continue;
          added++;
          take(f.uri, f.languageId, f.stamp, () => (etcReal === undefined ? undefined : readConfined(etcReal, f.path, MAX_DISK_FILE)));
        }
        if (!added) break;
      }
    }
    if (next.size !== cache.size) changed = true;
    this.parses.set(root, next);
    const hit = this.checks.get(root);
    // nothing of the host changed since its last check: the same check (no key to build)
    if (hit && !changed && hit.settingsKey === settingsKey) return hit.check;
    const uris = [...next.keys()].sort();
    // (a new key per model built: `changed` says when the files' contents differ from the last check's)
    const filesKey = `${root}#${++this.builds}`;

    const parsed: ParsedHostFile[] = [];
    for (const u of uris) {
      const p = next.get(u)!.parsed;
      if (p) parsed.push(p);
    }
    const options = { routedSubnet: settings.network.routedSubnet || undefined, gatewayInterface: settings.network.gatewayInterface };
    // One domain file edited on a host whose mode and subnet do not come from its guests: re-check
    // only the files whose verdict can change (see affectedBy); the others keep their diagnostics.
    const edited = changedUris.length === 1 && next.size === cache.size ? changedUris[0] : undefined;
    if (hit && hit.settingsKey === settingsKey && edited !== undefined && next.get(edited)?.parsed?.role === 'domain' && cache.get(edited)?.parsed?.role === 'domain' && guestIndependent(hit.check.model)) {
      const model = buildHostFromParsed(parsed, options, this.guestCache);
      if (guestIndependent(model) && sameContext(hit.check.model, model)) {
        const affected = affectedBy(hit.check, model, edited);
        const partial = checkHost(model, affected);
        const diagnostics = new Map(hit.check.diagnostics);
        for (const u of affected) if (model.files.has(u)) diagnostics.set(u, partial.get(u) ?? []);
        const check: HostCheck = { root, model, diagnostics, filesKey, rechecked: affected.size };
        this.checks.set(root, { settingsKey, check });
        return check;
      }
    }
    const model = buildHostFromParsed(parsed, options, this.guestCache);
    const check: HostCheck = { root, model, diagnostics: checkHost(model), filesKey, rechecked: model.files.size };
    this.checks.set(root, { settingsKey, check });
    return check;
  }
}
