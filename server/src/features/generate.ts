// The "generate" commands over LSP: the client asks, the server reads the host's current files
// (open documents first, the disk otherwise), runs the pure generators of server/src/generate/
// and answers with a WorkspaceEdit the client applies (it writes nothing itself).
//
// Requests (all params are plain JSON; `root` is the host root: the folder holding etc/, as a
// uri such as `file:///srv/hostA` or as an absolute path). A refusal answers
// `{ error: string, field?: string }` instead of the result; a request never throws.
//
//  xen/generate/validate   { field, value, answers?, root? }  ->  { message?: string }
//      field: 'cidr' | 'gatewayInterface' | 'gatewayAddress' | 'toolstack' | 'guests' | 'guest'.
//      answers: the other answers so far (Partial<RoutedAnswers>): the gateway address is checked
//      against answers.cidr, the guests against the addresses the block has left. With root (and
//      answers.cidr), also against the host's files: the guests count after the host's other guests
//      and the gateway, the gateway address must not be another interface's or guest's.
//      No message = the value is fine.
//  xen/generate/routedSetup { root, answers: RoutedAnswers }  ->  GenerateResponse
//      RoutedAnswers: { cidr: string, toolstack: 'xend' | 'xl', guests: string[],
//                       gatewayInterface?: string (default 'dummy0'), gatewayAddress?: string (default the first usable) }
//  xen/generate/switchMode  { root, mode: 'routed' | 'bridged' | 'nat', toolstack?: 'xend' | 'xl' }  ->  GenerateResponse
//      toolstack defaults to xend when etc/xen/xend-config.sxp exists, else xl when etc/xen/xl.conf does.
//  xen/generate/addGuest    { root, name, address?, toolstack? }  ->  GenerateResponse
//  xen/generate/hostState   { root }  ->  HostState (defaults for the prompts: mode, toolstack, block, free addresses)
//
//  GenerateResponse = { edit: WorkspaceEdit, summary: string[], files: string[], addresses?: Record<name, address> }
//      edit.documentChanges: for an existing file one TextDocumentEdit (version: the open
//      document's, else null) replacing the changed part; for a new file a CreateFile (fails if the
//      file appeared meanwhile) then a TextDocumentEdit inserting its text. `files`: the uris
//      written, in order. Empty documentChanges when nothing needs to change.
import { lstatSync, readdirSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { CreateFile, TextDocumentEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { LineIndex } from '../core/text';
import type { Settings } from '../core/settings';
import { freeAddresses } from '../host/free';
import { addGuest, detectToolstack, modelOf, routedSetup, switchMode } from '../generate/setup';
import { validateField } from '../generate/validate';
import { parseInterfaces } from '../formats/interfaces/parser';
import { DISK_LISTING_TTL_MS, resolveSourced } from './host';
import { decodeSafe, fileUriToPath, folderUri } from '../core/uri';
import { insideReal, readConfined, realPathOf } from '../core/confine';
import { minimalEdit } from '../core/edit';
import type { GenerateError, GenerateResult, HostTexts, NetworkMode, RoutedAnswers, ToolstackChoice } from '../generate/types';

export const GENERATE_REQUESTS = {
  validate: 'xen/generate/validate',
  routedSetup: 'xen/generate/routedSetup',
  switchMode: 'xen/generate/switchMode',
  addGuest: 'xen/generate/addGuest',
  hostState: 'xen/generate/hostState',
} as const;

export interface GenerateResponse {
  edit: WorkspaceEdit;
  summary: string[];
  files: string[];
  addresses?: Record<string, string>;
}

export interface HostState {
  /** The host root as a uri. */
  root: string;
  toolstack: ToolstackChoice | null;
  mode: 'routed' | 'bridged' | 'nat' | 'unknown';
  /** The routed block, `80.68.86.192/29`, or null. */
  cidr: string | null;
  gatewayAddress: string | null;
  gatewayInterface: string | null;
  guests: string[];
  /** The first free addresses of the block (at most 256) and how many there are. */
  freeAddresses: string[];
  freeCount: number;
}

/** What the feature needs from the server. */
export interface GenerateHost {
  /** The open documents (uri, version, text). */
  documents(): Iterable<{ uri: string; version: number; getText(): string }>;
  settingsFor(uri: string): Promise<Settings>;
}

/** Files bigger than this are not read (a host's configuration is a few KB). */
const MAX_FILE = 2 * 1024 * 1024;
const MAX_DOMAIN_FILES = 5000;
const FIXED = ['etc/network/interfaces', 'etc/modules', 'etc/xen/xend-config.sxp', 'etc/xen/xl.conf', 'etc/sysctl.d/xen-routed.conf'];

/** The root as a uri without a trailing slash; undefined when it is neither a uri nor an absolute path. */
export const rootUri = folderUri;


/** The relative path of a host file, from its uri (or its path on disk for file: uris), when it is one the generators read. */
function relativeOf(root: string, uri: string): string | undefined {
  let rel: string | undefined;
  if (uri.startsWith(root + '/')) rel = decodeSafe(uri.slice(root.length + 1));
  else {
    const rp = fileUriToPath(root + '/');
    const up = fileUriToPath(uri);
    if (rp && up && up.startsWith(rp)) rel = up.slice(rp.length).replace(/\\/g, '/');
  }
  if (rel === undefined) return undefined;
  return FIXED.includes(rel) || /^etc\/xen\/[^/]+\.cfg$/.test(rel) || SOURCED_DIR.test(rel) ? rel : undefined;
}

/**
 * Files that etc/network/interfaces pulls in with `source` or `source-directory` are read too when
 * they are in etc/network/interfaces.d/, the place Debian gives them (and the one the apply reads
 * back from the host): a gateway stanza kept there is edited where it is.
 */
const SOURCED_DIR = /^etc\/network\/interfaces\.d\/[^/]+$/;


/** The host's files the generators read: open documents first, then the disk. */
export function readHostTexts(root: string, host: GenerateHost): { files: HostTexts; versions: Map<string, number>; uris: Map<string, string> } {
  const files: HostTexts = {};
  const versions = new Map<string, number>();
  const uris = new Map<string, string>();
  for (const d of host.documents()) {
    const rel = relativeOf(root, d.uri);
    if (!rel || rel in files) continue;
    files[rel] = d.getText();
    versions.set(rel, d.version);
    uris.set(rel, d.uri);
  }
  const dir = fileUriToPath(root + '/');
  if (dir !== undefined) {
    // (only plain files whose real path lies in the host's folder: a link out of it is not read)
    const dirReal = realPathOf(dir);
    const read = (rel: string) => {
      if (rel in files || dirReal === undefined) return;
      const text = readConfined(dirReal, join(dir, ...rel.split('/')), MAX_FILE);
      if (text !== undefined) files[rel] = text;
    };
    for (const rel of FIXED) read(rel);
    try {
      const names = readdirSync(join(dir, 'etc', 'xen')).filter((n) => n.endsWith('.cfg')).sort().slice(0, MAX_DOMAIN_FILES);
      for (const n of names) read(`etc/xen/${n}`);
    } catch {
      /* no etc/xen */
    }
    // what interfaces sources from interfaces.d/ (nested sources too), in the order ifupdown reads it
    const etc = join(dir, 'etc');
    const queue = ['etc/network/interfaces'];
    const followed = new Set<string>();
    while (queue.length && followed.size < 200) {
      const rel = queue.shift()!;
      const text = files[rel];
      if (followed.has(rel) || typeof text !== 'string') continue;
      followed.add(rel);
      for (const st of parseInterfaces(text).stanzas) {
        if (st.kind !== 'source' && st.kind !== 'source-directory') continue;
        for (const w of st.paths) {
          for (const path of resolveSourced(etc, join(dir, ...rel.split('/')), st.kind, w.text)) {
            const sub = relative(dir, path).split(sep).join('/');
            if (!SOURCED_DIR.test(sub)) continue;
            read(sub);
            queue.push(sub);
          }
        }
      }
    }
    // (an open document of interfaces.d/ that nothing sources is not part of the host)
    for (const rel of Object.keys(files)) {
      if (!SOURCED_DIR.test(rel) || followed.has(rel)) continue;
      delete files[rel];
      versions.delete(rel);
      uris.delete(rel);
    }
  }
  return { files, versions, uris };
}

/**
 * Validation runs on every keystroke of an answer: what it read of a host is used again for as
 * long as a disk listing is trusted, unless an open document of the host changed meanwhile. (The
 * requests that compute an edit always read afresh.)
 */
const validationReads = new Map<string, { at: number; documents: string; files: HostTexts }>();

function hostTextsForValidation(root: string, host: GenerateHost): HostTexts {
  const documents: string[] = [];
  for (const d of host.documents()) if (relativeOf(root, d.uri)) documents.push(`${d.uri}@${d.version}`);
  const key = documents.join('\n');
  const now = Date.now();
  const hit = validationReads.get(root);
  if (hit && hit.documents === key && now - hit.at < DISK_LISTING_TTL_MS) return hit.files;
  const { files } = readHostTexts(root, host);
  if (validationReads.size > 32) validationReads.clear();
  validationReads.set(root, { at: now, documents: key, files });
  return files;
}

/** The WorkspaceEdit of a result. */
export function toWorkspaceEdit(root: string, result: GenerateResult, versions: Map<string, number>, uris: Map<string, string>): GenerateResponse {
  const documentChanges: (TextDocumentEdit | CreateFile)[] = [];
  const files: string[] = [];
  for (const c of result.changes) {
    const uri = uris.get(c.path) ?? `${root}/${c.path.split('/').map(encodeURIComponent).join('/')}`;
    files.push(uri);
    if (c.oldText === undefined) {
      documentChanges.push({ kind: 'create', uri, options: { overwrite: false, ignoreIfExists: false } });
      documentChanges.push({ textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: c.newText }] });
      continue;
    }
    const e = minimalEdit(c.oldText, c.newText);
    if (!e) continue;
    const lines = new LineIndex(c.oldText);
    documentChanges.push({ textDocument: { uri, version: versions.get(c.path) ?? null }, edits: [{ range: lines.range(e.start, e.end), newText: e.text }] });
  }
  return { edit: { documentChanges }, summary: result.summary, files, addresses: result.addresses };
}

const isError = (r: GenerateResult | GenerateError): r is GenerateError => 'error' in r;

async function run(
  params: { root?: unknown } | undefined,
  host: GenerateHost,
  fn: (files: HostTexts, settings: Settings) => GenerateResult | GenerateError,
): Promise<GenerateResponse | GenerateError> {
  const root = rootUri(params?.root);
  if (!root) return { error: 'Give the host root: the folder that holds (or will hold) etc/.', field: 'root' };
  const settings = await host.settingsFor(root + '/');
  const { files, versions, uris } = readHostTexts(root, host);
  const r = fn(files, settings);
  if (isError(r)) return r;
  const out = leavesHost(root, r);
  if (out) return { error: `${out} leads out of the host's folder through a symbolic link: nothing was written (the generators write only inside the host).` };
  return toWorkspaceEdit(root, r, versions, uris);
}

const isLink = (p: string): boolean => {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
};

/**
 * The first file of a result that would be written outside the host's folder: an existing file
 * (or, for a new one, its nearest existing folder) whose real path, every link resolved, leaves
 * the real path of the root. A repository can hold `etc/xen -> /etc/xen`, and VS Code writes
 * where the link leads.
 */
export function leavesHost(root: string, result: GenerateResult): string | undefined {
  const rootPath = fileUriToPath(root + '/');
  const rootReal = rootPath === undefined ? undefined : realPathOf(rootPath);
  if (!rootPath || !rootReal) return undefined; // a root that does not exist yet: everything is created inside it
  for (const c of result.changes) {
    let at = join(rootPath, ...c.path.split('/'));
    for (;;) {
      const real = realPathOf(at);
      if (real !== undefined) {
        if (!insideReal(rootReal, real)) return c.path;
        break;
      }
      if (isLink(at)) return c.path; // a dangling link: writing there creates its target, wherever it points
      const up = dirname(at);
      if (up === at) break;
      at = up;
    }
  }
  return undefined;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const toolstackOf = (v: unknown): ToolstackChoice | undefined => (v === 'xend' || v === 'xl' ? v : undefined);

export async function generateValidate(p: { field?: unknown; value?: unknown; answers?: unknown; root?: unknown } | undefined, host: GenerateHost): Promise<{ message?: string }> {
  const field = String(p?.field ?? '');
  const answers = (p?.answers && typeof p.answers === 'object' ? p.answers : {}) as Partial<RoutedAnswers>;
  const message = validateField(field, p?.value, answers);
  if (message) return { message };
  const root = rootUri(p?.root);
  if (root && typeof answers.cidr === 'string' && ['cidr', 'gatewayInterface', 'gatewayAddress', 'guests'].includes(field)) {
    // against the host: its other guests keep their addresses, its interfaces keep theirs
    const files = hostTextsForValidation(root, host);
    const trial = { ...answers, toolstack: toolstackOf(answers.toolstack) ?? 'xl', guests: Array.isArray(answers.guests) ? answers.guests : [], [field]: p!.value } as RoutedAnswers;
    const r = routedSetup(files, trial);
    if (isError(r) && r.field === field) return { message: r.error };
  }
  return {};
}

export function generateRoutedSetup(p: { root?: unknown; answers?: unknown } | undefined, host: GenerateHost) {
  return run(p, host, (files) => routedSetup(files, (p?.answers ?? {}) as RoutedAnswers));
}

export function generateSwitchMode(p: { root?: unknown; mode?: unknown; toolstack?: unknown } | undefined, host: GenerateHost) {
  return run(p, host, (files, s) =>
    switchMode(files, { mode: p?.mode as NetworkMode, toolstack: toolstackOf(p?.toolstack), routedSubnet: s.network.routedSubnet || undefined, gatewayInterface: s.network.gatewayInterface }),
  );
}

export function generateAddGuest(p: { root?: unknown; name?: unknown; address?: unknown; toolstack?: unknown } | undefined, host: GenerateHost) {
  return run(p, host, (files, s) =>
    addGuest(files, {
      name: str(p?.name) as string,
      address: str(p?.address) || undefined,
      toolstack: toolstackOf(p?.toolstack),
      routedSubnet: s.network.routedSubnet || undefined,
      gatewayInterface: s.network.gatewayInterface,
    }),
  );
}

export async function generateHostState(p: { root?: unknown } | undefined, host: GenerateHost): Promise<HostState | GenerateError> {
  const root = rootUri(p?.root);
  if (!root) return { error: 'Give the host root: the folder that holds (or will hold) etc/.', field: 'root' };
  const s = await host.settingsFor(root + '/');
  const { files } = readHostTexts(root, host);
  const model = modelOf(files, { routedSubnet: s.network.routedSubnet || undefined, gatewayInterface: s.network.gatewayInterface });
  const free = freeAddresses(model);
  return {
    root,
    toolstack: detectToolstack(files) ?? null,
    mode: model.mode.mode,
    cidr: model.subnet?.cidr ?? null,
    gatewayAddress: model.gateway?.address ?? null,
    gatewayInterface: model.gateway?.interface ?? null,
    guests: model.guests.map((g) => g.name?.text).filter((n): n is string => !!n).sort(),
    freeAddresses: free.addresses,
    freeCount: free.count,
  };
}

/** Registers the requests; every failure becomes a logged `{ error }` answer. */
export function registerGenerate(
  connection: { onRequest(method: string, handler: (params: any) => unknown): unknown },
  host: GenerateHost,
  reportError: (what: string, err: unknown) => void,
): void {
  const wrap = <P>(method: string, fn: (p: P, h: GenerateHost) => unknown) =>
    connection.onRequest(method, async (params: P) => {
      try {
        return await fn(params, host);
      } catch (err) {
        reportError(method, err);
        return { error: `Internal error in ${method}: ${err instanceof Error ? err.message : String(err)}` };
      }
    });
  wrap(GENERATE_REQUESTS.validate, generateValidate);
  wrap(GENERATE_REQUESTS.routedSetup, generateRoutedSetup);
  wrap(GENERATE_REQUESTS.switchMode, generateSwitchMode);
  wrap(GENERATE_REQUESTS.addGuest, generateAddGuest);
  wrap(GENERATE_REQUESTS.hostState, generateHostState);
}
