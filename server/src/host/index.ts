// The host index: one parsed document per uri, the host model of each host, and the snapshot of
// a host that the checks, the generators, apply, the host view and the command line all read.
//
// One parse per text: a file's text is parsed once, by its format's service (the editor features
// use that parse), and the host model reads the same tree (host/model's hostFileOf); a file is
// known by its content, so a document opened with the text the disk holds is not parsed again,
// and an edit parses the edited file only. Files come from the open documents first, then from
// the disk through host/reader (confined to the host's real path). A whole check is kept until
// one of its inputs changes, so every file of a host shares one check per edit.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-types';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { Settings } from '../core/settings';
import type { FormatService, LanguageId, ParsedDocument } from '../core/language';
import { DIAGNOSTIC_SOURCE } from '../core/language';
import { withDocumentUri } from '../core/diagnostics';
import { boundTokens } from '../core/message';
import { languageOf, serviceFor } from '../formats';
import {
  buildHostFromParsed,
  hostFileOf,
  inSubnet,
  normalizeMac,
  parseHostFile,
  type Guest,
  type GuestCache,
  type HostModel,
  type ParsedHostFile,
} from './model';
import { classifyPath, localPathOf, MAX_DOMAIN_FILES, type HostRole } from './table';
import { freeAddresses } from './free';
import { checkHost, FIX_CHOICES } from './checks';
import { checkpoint, isBudgetExceeded, withBudget } from '../core/budget';
import {
  DISK_LISTING_TTL_MS,
  hostEtcReal,
  hostPathOfFile,
  listDisk,
  readHostFile,
  resolveSourced,
  countDiskNames,
  MAX_DISK_FILE,
  type DiskFile,
  type HostPlace,
} from './reader';
import { confinedFile } from '../core/confine';
import { fileUriToPath, hostRootKey, pathToUri, trimFolderUri } from '../core/uri';
import { isLiveFolder, isLivePlace, LIVE_PLACE, liveReadable } from './live';

/** A document as the editor holds it (the server's document store), or a file the command line read. */
export interface OpenText {
  uri: string;
  languageId: string;
  version: number;
  getText(): string;
}

/** A parsed document: the one parse of its text, shared by the editor features and the host model. */
export interface OpenDocument {
  readonly uri: string;
  readonly version: number;
  readonly languageId: LanguageId;
  /* eslint-disable @typescript-eslint/no-explicit-any -- a service and what its own parse made, of an AST type known only to it */
  readonly service: FormatService<any>;
  readonly parsed: ParsedDocument<any>;
  /* eslint-enable @typescript-eslint/no-explicit-any */
}

export interface HostCheck {
  /** The key the host's files share (the uri prefix before `/etc/`, or `folder:<uri>`). */
  root: string;
  /** Where the host keeps its files. */
  place: HostPlace;
  model: HostModel;
  /** host/* diagnostics per file of the host (an entry, possibly empty, for every file). */
  diagnostics: Map<string, Diagnostic[]>;
  /** Identifies the files' contents the check was made from: a new key whenever any file of the host changed. */
  filesKey: string;
  /** How many files this check computed the diagnostics of (the others kept theirs). */
  rechecked: number;
}

/** One file of a host snapshot. */
export interface SnapshotFile {
  uri: string;
  /** Its path on the host (`/etc/network/interfaces`), from the host table; undefined when it maps to none. */
  hostPath: string | undefined;
  /** The open document's version, when it is open. */
  version?: number;
  parsed: ParsedHostFile;
}

/** A host as everyone reads it: the check (model and host diagnostics) and each file with its host path. */
export interface HostSnapshot extends HostCheck {
  files: SnapshotFile[];
  /** The local uri a host path has, or would have when written (the host table's mapping for the place's layout). */
  uriOf(hostPath: string): string | undefined;
}

/** For tests: the texts parsed in this process (by a format's service, the sysctl reader, or for the host alone). */
export const parseCount = { parses: 0 };

/** The editor language whose service parses a role's files (sysctl has none). */
export const LANGUAGE_OF_ROLE: Record<Exclude<HostRole, 'sysctl'>, LanguageId> = {
  interfaces: 'debian-interfaces',
  'xend-config': 'xen-xend-config',
  'xl-conf': 'xen-domain',
  domain: 'xen-domain',
  modules: 'kernel-modules',
};

/** The one parse of a file's text. */
class ParsedFile {
  /** The format service's parse (files in an editor language). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- of an AST type known only to its service
  doc?: ParsedDocument<any>;
  /** The host model's view of the same parse (files with a host role). */
  host?: ParsedHostFile;
  private contentHash: string | undefined;
  constructor(
    /** What it was read at: `v<version>` (open) or mtime:size (disk). */
    public stamp: string,
    /** The text, until its hash is first asked for. */
    private text: string | undefined,
    readonly languageId: LanguageId | undefined,
  ) {}
  /** The hash of the content, made when first compared: a file read once (the CLI's named files) never hashes its text. */
  get hash(): string {
    if (this.contentHash === undefined) {
      this.contentHash = contentHash(this.text ?? '');
      this.text = undefined;
    }
    return this.contentHash;
  }
}

/** Whether the host's mode and routed subnet are read from files other than the guests' (so a guest's edit cannot change them). */
function guestIndependent(model: HostModel): boolean {
  const modeFrom = model.mode.source;
  const subnetFrom = model.subnet?.source.kind;
  return (modeFrom === 'xend' || modeFrom === 'xl-conf') && (subnetFrom === 'setting' || subnetFrom === 'gateway-stanza');
}

function sameContext(a: HostModel, b: HostModel): boolean {
  return (
    a.mode.mode === b.mode.mode &&
    a.subnet?.cidr === b.subnet?.cidr &&
    a.gateway?.address === b.gateway?.address &&
    a.gateway?.interface === b.gateway?.interface &&
    a.files.size === b.files.size
  );
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

export interface FileDiagnosticsOptions {
  /** The time budget of each half (the file's own checks, then its host's), in ms; none when undefined. */
  budgetMs?: number;
  /** An internal error (not a spent budget) in one of the halves. */
  onError?(err: unknown): void;
  /** What stands for the file's own diagnostics when its check hit an internal error. */
  internalError?(err: unknown): Diagnostic;
  /** The file's own diagnostics, already computed by ownDiagnostics for this parse (not computed again). */
  own?: Diagnostic[];
}

/** A file's own format's diagnostics (fileDiagnostics' first half, as it computes them), under the budget of options. */
export function ownDiagnostics(
  uri: string,
  doc: Pick<OpenDocument, 'service' | 'parsed'>,
  settings: Settings,
  options: Omit<FileDiagnosticsOptions, 'own'> = {},
): Diagnostic[] {
  if (!settings.validation.enable) return [];
  const run = <T>(fn: () => T): T => (options.budgetMs === undefined ? fn() : withBudget(options.budgetMs, fn));
  try {
    return withDocumentUri(
      run(() => doc.service.diagnostics(doc.parsed, settings)),
      uri,
    );
  } catch (err) {
    if (isBudgetExceeded(err)) return [timeoutDiagnostic('the check of this file', err.budgetMs)];
    // say so in the file rather than show a clean bill of health that was never checked
    options.onError?.(err);
    return [options.internalError ? options.internalError(err) : internalErrorDiagnostic()];
  }
}

/**
 * What a file shows: its own format's diagnostics merged with its host's (host/* diagnostics of
 * the host check, when it has a host), messages bounded (core/message), as the server publishes
 * them, the command line prints them and apply refuses on them. A half that overruns its budget
 * is replaced by a diagnostic that says so; a half that fails leaves the other.
 */
export function fileDiagnostics(
  uri: string,
  doc: Pick<OpenDocument, 'service' | 'parsed'>,
  settings: Settings,
  hostDiagnostics: () => Diagnostic[] | undefined,
  options: FileDiagnosticsOptions = {},
): Diagnostic[] {
  if (!settings.validation.enable) return [];
  const run = <T>(fn: () => T): T => (options.budgetMs === undefined ? fn() : withBudget(options.budgetMs, fn));
  let diagnostics = options.own ?? ownDiagnostics(uri, doc, settings, options);
  try {
    const host = run(hostDiagnostics);
    if (host) diagnostics = mergeHostDiagnostics(diagnostics, host);
  } catch (err) {
    // a failure here must leave the file's own diagnostics
    if (isBudgetExceeded(err)) diagnostics = diagnostics.concat(timeoutDiagnostic("the check of this file's host (its other files)", err.budgetMs));
    else options.onError?.(err);
  }
  // a message quotes at most a short piece of any token of the file
  // (copies: the host's diagnostics are kept and compared between checks)
  return diagnostics.map((d) => {
    const message = typeof d.message === 'string' ? boundTokens(d.message) : d.message;
    return message === d.message ? d : { ...d, message };
  });
}

export const INTERNAL_ERROR_CODE = 'server/internal-error';
export const TIMEOUT_CODE = 'server/check-timeout';

/** A check abandoned when its time budget was spent. */
export function timeoutDiagnostic(what: string, budgetMs: number): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Warning,
    code: TIMEOUT_CODE,
    source: DIAGNOSTIC_SOURCE,
    message: `Not checked: ${what} took longer than ${budgetMs} ms and was abandoned, so that the server goes on answering. The file may be fine; it is bigger or more tangled than a host's configuration usually is.`,
  };
}

function internalErrorDiagnostic(): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Warning,
    code: INTERNAL_ERROR_CODE,
    source: DIAGNOSTIC_SOURCE,
    message:
      'This file could not be checked: the Xen language server hit an internal error (details are in its output log). ' +
      'The file itself may be fine; please report the problem with the file attached.',
  };
}

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

/** For tests only: the files of a host read and parsed ahead of its check, in slices (HostIndex.readHostInSlices). */
export const hostReadWork = { files: 0, slices: 0 };

/** The longest the first slice of a host's read waits for the caller's first publish to be written, in ms. */
const FIRST_SLICE_WAIT_MS = 1000;

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** A host file's parse as one host's check took it: what it was read at, its content's hash and its host view. */
type FileCache = Map<string, { stamp: string; hash: string; parsed: ParsedHostFile | undefined }>;

export class HostIndex {
  /** Per uri: the one parse of its text (open documents and files read from disk alike). */
  private readonly files = new Map<string, ParsedFile>();
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
    this.folders = [...new Set(uris.map(trimFolderUri))].sort((a, b) => b.length - a.length);
    this.places.clear();
    this.clear();
  }

  /**
   * The one parse of a file's text: kept while the file is read at the same stamp, or read again
   * with the same content (a document opened with what the disk holds, a file saved as it was).
   * Undefined for a file that cannot be read.
   */
  private parseFile(uri: string, clientLanguageId: string, stamp: string, text: () => string | undefined, settings: Settings): ParsedFile | undefined {
    const languageId = languageOf(uri, clientLanguageId);
    const hit = this.files.get(uri);
    if (hit && hit.stamp === stamp && hit.languageId === languageId) return hit;
    const t = text();
    if (t === undefined) return undefined;
    if (hit && hit.languageId === languageId && hit.hash === contentHash(t)) {
      hit.stamp = stamp;
      return hit;
    }
    const f = new ParsedFile(stamp, t, languageId);
    if (languageId !== undefined) {
      parseCount.parses++;
      f.doc = serviceFor(languageId).parse(t, settings, uri);
    }
    const role = classifyPath(uri, languageId ?? clientLanguageId);
    if (role !== undefined && role !== 'sysctl' && f.doc && LANGUAGE_OF_ROLE[role] === languageId) f.host = hostFileOf(uri, role, f.doc);
    else if (role !== undefined) {
      // (a sysctl file, or a file whose path says one format and its editor language another)
      parseCount.parses++;
      f.host = parseHostFile({ uri, languageId: languageId ?? clientLanguageId, text: t });
    }
    if (this.files.size > 200_000) this.files.clear();
    this.files.set(uri, f);
    return f;
  }

  /** The parsed document of an open document (parsed once per version, the parse the host model reads too); undefined when it is not in one of our languages. */
  document(source: OpenText, settings: Settings): OpenDocument | undefined {
    const languageId = languageOf(source.uri, source.languageId);
    if (!languageId) return undefined;
    const f = this.parseFile(source.uri, source.languageId, `v${source.version}`, () => source.getText(), settings);
    if (!f?.doc) return undefined;
    return { uri: source.uri, version: source.version, languageId, service: serviceFor(languageId), parsed: f.doc };
  }

  /**
   * The place of a host folder named by its uri (a generate's root, an apply's folder): an etc-tree
   * host when it holds etc/ (or does not exist yet: the generators create etc/ in it), else the
   * folder itself when it holds the host's files as its /etc or side by side.
   */
  placeOfFolder(folderUri: string): HostPlace {
    // this machine's `/`, `/etc` or a folder inside `/etc`: this host (host/live.ts), whose key its `/etc/...` uris share
    if (isLiveFolder(folderUri)) return { ...LIVE_PLACE };
    const folder = trimFolderUri(folderUri);
    const path = fileUriToPath(folder + '/');
    const tree: HostPlace = { key: folder, folderUri: folder, etcPath: path === undefined ? undefined : join(path, 'etc'), layout: 'etc-tree' };
    if (path === undefined || isDir(join(path, 'etc'))) return tree;
    const flat: HostPlace = { key: `folder:${folder}`, folderUri: folder, etcPath: path, layout: 'folder' };
    return listDisk(flat).length ? flat : tree;
  }

  /** Whether uri is a file of the host at place (its key, or below a folder host's folder outside any etc/ tree). */
  private belongs(uri: string, place: HostPlace): boolean {
    const key = this.hostKey(uri);
    if (key === place.key) return true;
    return place.layout === 'folder' && uri.startsWith(place.folderUri + '/') && hostRootKey(uri) === undefined;
  }

  /** The snapshot of the host of uri (uri need not be a file of it, nor exist). Throws only BudgetExceeded. */
  snapshot(uri: string, open: Iterable<OpenText>, settings: Settings): HostSnapshot | undefined {
    const place = this.placeOf(uri);
    return place && this.snapshotOfPlace(place, open, settings);
  }

  /**
   * The snapshot of the host kept in a folder (see placeOfFolder). fresh: list and stat the host's
   * files on disk again first (a request that computes an edit reads what is there now, not what
   * was listed within the listing's period). Throws only BudgetExceeded.
   */
  snapshotOfFolder(folderUri: string, open: Iterable<OpenText>, settings: Settings, options: { fresh?: boolean } = {}): HostSnapshot | undefined {
    const place = this.placeOfFolder(folderUri);
    if (options.fresh) this.forgetListing(place);
    return this.snapshotOfPlace(place, open, settings);
  }

  /** Drops what was listed of a host on disk: its next check lists and stats its files again. */
  private forgetListing(place: HostPlace): void {
    this.generation++;
    this.disk.delete(place.key);
    for (const k of this.sourcedLists.keys()) if (k.startsWith(place.key + '\0')) this.sourcedLists.delete(k);
  }

  private snapshotOfPlace(place: HostPlace, open: Iterable<OpenText>, settings: Settings): HostSnapshot | undefined {
    const openList = [...open];
    let check: HostCheck | undefined;
    try {
      check = this.checkPlace(place, openList, settings);
    } catch (err) {
      if (isBudgetExceeded(err)) throw err;
      return undefined;
    }
    if (!check) return undefined;
    const versions = new Map(openList.map((d) => [d.uri, d.version]));
    const files: SnapshotFile[] = [];
    let sideBySide = false;
    for (const [uri, parsed] of check.model.files) {
      const path = this.pathOf(uri);
      const hostPath = path === undefined ? undefined : hostPathOfFile(place, path);
      if (place.layout === 'folder' && path !== undefined && place.etcPath !== undefined && hostPath !== undefined) {
        const rel = path.slice(place.etcPath.length).replace(/^[\\/]+/, '');
        if (!rel.includes('/') && !rel.includes('\\') && rel !== 'modules' && rel !== 'sysctl.conf' && hostPath !== '/etc/' + rel) sideBySide = true;
      }
      files.push({ uri, hostPath, version: versions.get(uri), parsed });
    }
    const byHostPath = new Map<string, string>();
    for (const f of files) if (f.hostPath !== undefined && !byHostPath.has(f.hostPath)) byHostPath.set(f.hostPath, f.uri);
    const uriOf = (hostPath: string): string | undefined => {
      const known = byHostPath.get(hostPath);
      if (known !== undefined) return known;
      if (!hostPath.startsWith('/etc/')) return undefined;
      const rel = localPathOf(place.layout, hostPath, sideBySide);
      return `${place.folderUri}/${rel.split('/').map(encodeURIComponent).join('/')}`;
    };
    return { ...check, files, uriOf };
  }

  /**
   * A file's current text: the open document's, else the disk's when the file belongs to a host
   * (read through the host's real path); undefined otherwise.
   */
  textOf(uri: string, open: Iterable<OpenText>): string | undefined {
    for (const d of open) if (d.uri === uri) return d.getText();
    const place = this.placeOf(uri);
    const path = this.pathOf(uri);
    if (place === undefined || path === undefined) return undefined;
    return this.readDisk(place, hostEtcReal(place), path);
  }

  /** A host file's text on disk, through the host's real path; on this machine's host only a path of the host table whose real path is one too (host/live.ts). */
  private readDisk(place: HostPlace, etcReal: string | undefined, path: string): string | undefined {
    if (isLivePlace(place) && !liveReadable(path)) return undefined;
    return readHostFile(etcReal, path);
  }

  /** Where uri's host keeps its files; undefined when uri is in no etc/ tree and no workspace folder. */
  placeOf(uri: string): HostPlace | undefined {
    if (this.places.has(uri)) return this.places.get(uri);
    let place: HostPlace | undefined;
    const key = hostRootKey(uri);
    if (key !== undefined) {
      const rootPath = fileUriToPath(key + '/');
      place = { key, folderUri: key, etcPath: rootPath === undefined ? undefined : join(rootPath, 'etc'), layout: 'etc-tree' };
    } else {
      // (a live folder is no folder host: its files are /etc's, and outside /etc nothing of a host is)
      const folder = this.folders.find((f) => uri.startsWith(f + '/') && !isLiveFolder(f));
      if (folder !== undefined) place = { key: `folder:${folder}`, folderUri: folder, etcPath: fileUriToPath(folder + '/'), layout: 'folder' };
    }
    if (this.places.size > 100_000) this.places.clear();
    this.places.set(uri, place);
    return place;
  }

  /** The workspace folders given (uris without a trailing slash), deepest first (xen/hosts looks for hosts in them). */
  workspaceFolders(): readonly string[] {
    return this.folders;
  }

  /** The files of uri's host on disk that its checks read (xen/hosts: whether a host is there); none when uri is in no host. */
  diskFilesOf(uri: string): { uri: string; path: string; languageId: string }[] {
    const place = this.placeOf(uri);
    return place === undefined ? [] : this.listDiskCached(place).map((f) => ({ uri: f.uri, path: f.path, languageId: f.languageId }));
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
    this.files.clear();
    this.checks.clear();
    this.disk.clear();
    this.sourcedLists.clear();
  }

  /** A file of uri's host may have changed on disk: list the host's files again at its next check. */
  diskChanged(uri: string): void {
    this.generation++;
    const place = this.placeOf(uri);
    if (place !== undefined) this.forgetListing(place);
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
      const f = isLivePlace(place) && !liveReadable(path) ? undefined : confinedFile(etcReal!, path, MAX_DISK_FILE);
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
    // (this machine's host: only files whose real path is a path of the host table, host/live.ts)
    const files = isLivePlace(place) ? listDisk(place).filter((f) => liveReadable(f.path)) : listDisk(place);
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
    for (const u of this.parses.get(place.key)?.keys() ?? []) this.files.delete(u);
    this.parses.delete(place.key);
    this.checks.delete(place.key);
    this.checkedAt.delete(place.key);
    this.disk.delete(place.key);
    for (const k of this.sourcedLists.keys()) if (k.startsWith(place.key + '\0')) this.sourcedLists.delete(k);
    for (const u of uris) {
      this.files.delete(u);
      this.places.delete(u);
      this.paths.delete(u);
    }
  }

  /** Forgets what was kept of uri (closed: a reopened document starts again at version 1). */
  forget(uri: string): void {
    this.generation++;
    const root = this.hostKey(uri);
    // (a file of a host keeps its parse: the disk's copy, read next, is most often the same text)
    if (root === undefined) {
      this.files.delete(uri);
      return;
    }
    this.parses.get(root)?.delete(uri);
    this.checks.delete(root);
    this.diskChanged(uri);
  }

  /** Per host key: the read of its files in slices under way (readHostInSlices), and who waits for it. */
  private readonly reading = new Map<string, { done: Promise<void>; waiters: Set<() => boolean> }>();

  /**
   * The first check of a large host, without holding the server up: when uri's host has no check
   * yet and at least `options.atOnce` files on disk that no parse holds at their current stamp (a
   * host read for the first time: told from the names in its folders, before any file is looked
   * at), lists them and reads and parses them a slice at a time (at most
   * `sliceMs` of work, then a turn of the event loop, so that requests and edits are answered
   * meanwhile) into the one parse per text that the host's check then takes: the check parses
   * none of them again. Resolves when they are all read, when every waiter has been cancelled, or
   * when the slices have spent `budgetMs` in all (the check then reads the rest itself, under its
   * own budget, as before). Undefined when there is nothing to wait for (no host, or fewer files
   * than atOnce: the check reads them at once). A caller that asks while a read of the host is
   * under way waits for the same read. `options.after`: what the first slice waits for (the
   * caller's first publish, written: a slice started before it would hold the message back).
   */
  readHostInSlices(
    uri: string,
    open: () => Iterable<OpenText>,
    settings: Settings,
    options: { atOnce: number; sliceMs: number; budgetMs: number; cancelled: () => boolean; after?: PromiseLike<unknown> },
  ): Promise<void> | undefined {
    const place = this.placeOf(uri);
    if (place === undefined || place.etcPath === undefined) return undefined;
    const running = this.reading.get(place.key);
    if (running) {
      running.waiters.add(options.cancelled);
      return running.done;
    }
    // (a host checked before keeps up with its changes by itself: its check reads what changed)
    if (this.checks.has(place.key)) return undefined;
    try {
      // (read before, or listed: the files not yet parsed, the listing being the check's too; never
      // read: the names on disk, told before any file is looked at)
      const known = this.disk.has(place.key) || (this.parses.get(place.key)?.size ?? 0) > 0;
      const many = known ? this.unparsed(place, open()).length : countDiskNames(place, options.atOnce);
      if (many < options.atOnce) return undefined;
    } catch {
      return undefined;
    }
    const waiters = new Set([options.cancelled]);
    const done = this.readSlices(place, open, settings, waiters, options).finally(() => this.reading.delete(place.key));
    this.reading.set(place.key, { done, waiters });
    return done;
  }

  /** The host's files on disk (listed, not sourced) that are not open and whose parse is not held at their stamp. */
  private unparsed(place: HostPlace, open: Iterable<OpenText>): DiskFile[] {
    const openUris = new Set<string>();
    for (const d of open) openUris.add(d.uri);
    const held = this.parses.get(place.key);
    return this.listDiskCached(place).filter((f) => !openUris.has(f.uri) && held?.get(f.uri)?.stamp !== f.stamp && this.files.get(f.uri)?.stamp !== f.stamp);
  }

  private async readSlices(
    place: HostPlace,
    open: () => Iterable<OpenText>,
    settings: Settings,
    waiters: Set<() => boolean>,
    options: { sliceMs: number; budgetMs: number; after?: PromiseLike<unknown> },
  ): Promise<void> {
    // (a message sent goes out on a later turn of the event loop: a slice started before would hold
    // the caller's first publish back by the slice's work, the listing of the host's files included)
    // (not for ever: a client that stops reading must not stop the host's read)
    if (options.after) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, FIRST_SLICE_WAIT_MS).unref()));
      await Promise.race([Promise.resolve(options.after).catch(() => undefined), late]);
      clearTimeout(timer);
    }
    const etcReal = hostEtcReal(place);
    let spent = 0;
    let next = 0;
    // (listed in the first slice, after the caller's first publish)
    let todo: DiskFile[] | undefined;
    while ((todo === undefined || next < todo.length) && spent < options.budgetMs) {
      // (a turn of the event loop between slices: requests and edits are answered meanwhile)
      await new Promise<void>((resolve) => setImmediate(resolve));
      for (const cancelled of [...waiters]) if (cancelled()) waiters.delete(cancelled);
      if (!waiters.size) return;
      // (a file opened meanwhile is the check's to take from its document)
      const openUris = new Set<string>();
      for (const d of open()) openUris.add(d.uri);
      const t0 = performance.now();
      hostReadWork.slices++;
      try {
        withBudget(options.budgetMs - spent, () => {
          todo ??= this.unparsed(place, open());
          while (next < todo.length && performance.now() - t0 < options.sliceMs) {
            const f = todo[next++];
            if (openUris.has(f.uri)) continue;
            checkpoint();
            hostReadWork.files++;
            this.parseFile(f.uri, f.languageId, f.stamp, () => readHostFile(etcReal, f.path), settings);
          }
        });
      } catch {
        // (a spent budget: the check reads the rest under its own and says so; any other error the check meets too)
        return;
      }
      spent += performance.now() - t0;
    }
  }

  private checkUnsafe(uri: string, open: Iterable<OpenText>, settings: Settings): HostCheck | undefined {
    const place = this.placeOf(uri);
    return place === undefined ? undefined : this.checkPlace(place, open, settings);
  }

  private checkPlace(place: HostPlace, open: Iterable<OpenText>, settings: Settings): HostCheck | undefined {
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
        const f = this.parseFile(fileUri, languageId, stamp, text, settings);
        entry =
          f === undefined
            ? { stamp, hash: 'unreadable', parsed: undefined }
            : entry && entry.hash === f.hash
              ? { ...entry, stamp }
              : { stamp, hash: f.hash, parsed: f.host };
      }
      if (!before || before.hash !== entry.hash) {
        changed = true;
        changedUris.push(fileUri);
      }
      next.set(fileUri, entry);
    };
    const openPaths = new Set<string>();
    const openUris = new Set<string>();
    for (const d of open) {
      if (!this.belongs(d.uri, place)) continue;
      take(d.uri, d.languageId, `v${d.version}`, () => d.getText());
      openUris.add(d.uri);
      const p = this.pathOf(d.uri);
      if (p) openPaths.add(p);
    }
    const etcPath = place.etcPath;
    // every file read from disk is read again through the host's real path (a file replaced by a link since it was listed is not read)
    const etcReal = etcPath === undefined ? undefined : hostEtcReal(place);
    if (etcPath !== undefined) {
      for (const f of this.listDiskCached(place)) {
        if (openPaths.has(f.path)) continue;
        take(f.uri, f.languageId, f.stamp, () => this.readDisk(place, etcReal, f.path));
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
          take(f.uri, f.languageId, f.stamp, () => this.readDisk(place, etcReal, f.path));
        }
        if (!added) break;
      }
    }
    if (next.size !== cache.size) changed = true;
    // the parses of files that left the host (deleted, no longer sourced) are not kept, unless open
    for (const u of cache.keys()) if (!next.has(u) && !openUris.has(u)) this.files.delete(u);
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
    if (
      hit &&
      hit.settingsKey === settingsKey &&
      edited !== undefined &&
      next.get(edited)?.parsed?.role === 'domain' &&
      cache.get(edited)?.parsed?.role === 'domain' &&
      guestIndependent(hit.check.model)
    ) {
      const model = buildHostFromParsed(parsed, options, this.guestCache);
      if (guestIndependent(model) && sameContext(hit.check.model, model)) {
        const affected = affectedBy(hit.check, model, edited);
        const partial = checkHost(model, affected);
        const diagnostics = new Map(hit.check.diagnostics);
        for (const u of affected) if (model.files.has(u)) diagnostics.set(u, partial.get(u) ?? []);
        const check: HostCheck = { root, place, model, diagnostics, filesKey, rechecked: affected.size };
        this.checks.set(root, { settingsKey, check });
        return check;
      }
    }
    const model = buildHostFromParsed(parsed, options, this.guestCache);
    const check: HostCheck = { root, place, model, diagnostics: checkHost(model), filesKey, rechecked: model.files.size };
    this.checks.set(root, { settingsKey, check });
    return check;
  }
}
