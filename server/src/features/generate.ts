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
import { lstatSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CreateFile, TextDocumentEdit } from 'vscode-languageserver-types';
import { LineIndex } from '../core/text';
import type { Settings } from '../core/settings';
import { freeAddresses } from '../host/free';
import { addGuest, detectToolstack, generateInput, routedSetup, switchMode, type GenerateInput } from '../generate/setup';
import { validateField } from '../generate/validate';
import type { HostSnapshot } from '../host/index';
import { fileUriToPath, folderUri } from '../core/uri';
import { isLiveFolder, LIVE_ROOT } from '../host/live';
import { DEFAULT_GATEWAY_INTERFACE } from '../core/network';
import { insideReal, realPathOf } from '../core/confine';
import { minimalEdit } from '../core/edit';
import type { GenerateError, GenerateResult, HostTexts, NetworkMode, RoutedAnswers, ToolstackChoice } from '../generate/types';
import type { GenerateResponse, HostState } from '../protocol';

/** Where the generate requests read a host: the server's host index. */
export interface GenerateSource {
  /**
   * The snapshot of the host kept in the folder root (a uri), and the settings in force there.
   * fresh: the host's files on disk listed again (a request that computes an edit).
   */
  hostOf(root: string, fresh: boolean): Promise<{ snapshot: HostSnapshot | undefined; settings: Settings }>;
}

/** The root as a uri without a trailing slash; undefined when it is neither a uri nor an absolute path. */
export const rootUri = folderUri;

/** What the generators read of a host: its files by host path (`etc/...`), their versions and uris, its model from their one parse. */
export interface HostRead {
  input: GenerateInput;
  versions: Map<string, number>;
  uris: Map<string, string>;
  /** The local uri of a path the generators write (`etc/...`). */
  uriOf(path: string): string;
}

/** The generators' view of a host snapshot (every layout: the host table maps each file to its host path). */
export function readHost(root: string, snapshot: HostSnapshot | undefined): HostRead {
  const texts: HostTexts = {};
  const versions = new Map<string, number>();
  const uris = new Map<string, string>();
  const pathOfUri = new Map<string, string>();
  for (const f of snapshot?.files ?? []) {
    if (f.hostPath === undefined) continue;
    const key = f.hostPath.slice(1);
    if (key in texts) continue;
    texts[key] = f.parsed.text;
    uris.set(key, f.uri);
    pathOfUri.set(f.uri, key);
    if (f.version !== undefined) versions.set(key, f.version);
  }
  const input = generateInput(texts, snapshot ? [...snapshot.model.files.values()] : [], (uri) => pathOfUri.get(uri));
  const uriOf = (path: string) => snapshot?.uriOf('/' + path) ?? `${root}/${path.split('/').map(encodeURIComponent).join('/')}`;
  return { input, versions, uris, uriOf };
}

/** The WorkspaceEdit of a result. */
export function toWorkspaceEdit(result: GenerateResult, read: Pick<HostRead, 'versions' | 'uris' | 'uriOf'>): GenerateResponse {
  const { versions, uris } = read;
  const documentChanges: (TextDocumentEdit | CreateFile)[] = [];
  const files: string[] = [];
  for (const c of result.changes) {
    const uri = uris.get(c.path) ?? read.uriOf(c.path);
    files.push(uri);
    if (c.oldText === undefined) {
      documentChanges.push({ kind: 'create', uri, options: { overwrite: false, ignoreIfExists: false } });
      documentChanges.push({
        textDocument: { uri, version: null },
        edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: c.newText }],
      });
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
  source: GenerateSource,
  fn: (input: GenerateInput, settings: Settings) => GenerateResult | GenerateError,
): Promise<GenerateResponse | GenerateError> {
  const root = rootUri(params?.root);
  if (!root) return { error: 'Give the host root: the folder that holds (or will hold) etc/.', field: 'root' };
  const { snapshot, settings } = await source.hostOf(root, true);
  // this machine's host (a root of `/`, `/etc` or inside it: host/live.ts) writes its /etc, and only there
  const live = isLiveFolder(root);
  const read = readHost(live ? LIVE_ROOT : root, snapshot);
  const r = fn(read.input, settings);
  if (isError(r)) return r;
  const out = leavesHost(live ? `${LIVE_ROOT}/etc` : root, r, read.uriOf);
  if (out) return { error: `${out} leads out of the host's folder through a symbolic link: nothing was written (the generators write only inside the host).` };
  return toWorkspaceEdit(r, read);
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
export function leavesHost(root: string, result: GenerateResult, uriOf: (path: string) => string): string | undefined {
  const rootPath = fileUriToPath(root + '/');
  const rootReal = rootPath === undefined ? undefined : realPathOf(rootPath);
  if (!rootPath || !rootReal) return undefined; // a root that does not exist yet: everything is created inside it
  for (const c of result.changes) {
    const local = fileUriToPath(uriOf(c.path));
    if (local === undefined) return c.path;
    let at = local;
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

export async function generateValidate(
  p: { field?: unknown; value?: unknown; answers?: unknown; root?: unknown } | undefined,
  source: GenerateSource,
): Promise<{ message?: string }> {
  const field = String(p?.field ?? '');
  const answers = (p?.answers && typeof p.answers === 'object' ? p.answers : {}) as Partial<RoutedAnswers>;
  const message = validateField(field, p?.value, answers);
  if (message) return { message };
  const root = rootUri(p?.root);
  if (root && typeof answers.cidr === 'string' && ['cidr', 'gatewayInterface', 'gatewayAddress', 'guests'].includes(field)) {
    // against the host: its other guests keep their addresses, its interfaces keep theirs
    // (the index keeps the host's check while nothing of it changes: each keystroke of an answer reads nothing again)
    const { input } = readHost(root, (await source.hostOf(root, false)).snapshot);
    const trial = {
      ...answers,
      toolstack: toolstackOf(answers.toolstack) ?? 'xl',
      guests: Array.isArray(answers.guests) ? answers.guests : [],
      [field]: p!.value,
    } as RoutedAnswers;
    const r = routedSetup(input, trial);
    if (isError(r) && r.field === field) return { message: r.error };
  }
  return {};
}

export function generateRoutedSetup(p: { root?: unknown; answers?: unknown } | undefined, source: GenerateSource) {
  return run(p, source, (input) => routedSetup(input, (p?.answers ?? {}) as RoutedAnswers));
}

export function generateSwitchMode(p: { root?: unknown; mode?: unknown; toolstack?: unknown } | undefined, source: GenerateSource) {
  return run(p, source, (input, s) =>
    switchMode(input, {
      mode: p?.mode as NetworkMode,
      toolstack: toolstackOf(p?.toolstack),
      routedSubnet: s.network.routedSubnet || undefined,
      gatewayInterface: s.network.gatewayInterface,
    }),
  );
}

export function generateAddGuest(p: { root?: unknown; name?: unknown; address?: unknown; toolstack?: unknown } | undefined, source: GenerateSource) {
  return run(p, source, (input, s) =>
    addGuest(input, {
      name: str(p?.name) as string,
      address: str(p?.address) || undefined,
      toolstack: toolstackOf(p?.toolstack),
      routedSubnet: s.network.routedSubnet || undefined,
      gatewayInterface: s.network.gatewayInterface,
    }),
  );
}

export async function generateHostState(p: { root?: unknown } | undefined, source: GenerateSource): Promise<HostState | GenerateError> {
  const root = rootUri(p?.root);
  if (!root) return { error: 'Give the host root: the folder that holds (or will hold) etc/.', field: 'root' };
  const { snapshot, settings: s } = await source.hostOf(root, true);
  const { input } = readHost(root, snapshot);
  const model = input.model({ routedSubnet: s.network.routedSubnet || undefined, gatewayInterface: s.network.gatewayInterface });
  const free = freeAddresses(model);
  return {
    root,
    toolstack: detectToolstack(input) ?? null,
    mode: model.mode.mode,
    cidr: model.subnet?.cidr ?? null,
    gatewayAddress: model.gateway?.address ?? null,
    gatewayInterface: model.gateway?.interface ?? null,
    defaultGatewayInterface: DEFAULT_GATEWAY_INTERFACE,
    guests: model.guests
      .map((g) => g.name?.text)
      .filter((n): n is string => !!n)
      .sort(),
    freeAddresses: free.addresses,
    freeCount: free.count,
  };
}
