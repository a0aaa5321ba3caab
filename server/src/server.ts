// Wires LSP requests and notifications to the features. Knowledge lives in the formats;
// this file only routes, caches and keeps the server alive whatever a request does.
import {
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { resolveSettings, type Settings } from './core/settings';
import { Validator } from './features/validation';
import { hostCheckWork, HostIndex, parseCount, type OpenDocument } from './host/index';
import { codeActions, FIX_ALL_KIND } from './features/codeActions';
import { HOST_VIEW_REQUEST, hostView } from './features/hostView';
import { addressCompletion, addressHover, HOST_INFO_REQUEST, hostInfo, netmaskHints } from './features/addresses';
import { registerGenerate, rootUri } from './features/generate';
import { APPLY_INSPECT_REQUEST, APPLY_PREPARE_REQUEST, inspectApply, prepareApply, type ApplyInspection, type ApplyPreparation, type ApplyPrepareParams } from './features/apply';
import { readFileSync } from 'node:fs';
import type { CancellationToken } from 'vscode-languageserver';
import { isBudgetExceeded, serverBudgetMs, withBudget } from './core/budget';
import { fileURLToPath } from 'node:url';
import { CodeActionKind, type Diagnostic } from 'vscode-languageserver';

export const SERVER_NAME = 'xen-language-server';
export const SERVER_VERSION = '0.1.0';
/** A request answered only when XEN_LS_TEST_COUNTERS=1: the server's work counters, for tests. */
export const TEST_COUNTERS_REQUEST = 'xen/test/counters';

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const settingsCache = new Map<string, Promise<Settings>>();
  let canPullConfiguration = false;
  let canWatchFolders = false;
  let globalSettings: Settings = resolveSettings(undefined);

  function settingsFor(uri: string): Promise<Settings> {
    if (!canPullConfiguration) return Promise.resolve(globalSettings);
    let s = settingsCache.get(uri);
    if (!s) {
      s = connection.workspace
        .getConfiguration({ scopeUri: uri, section: 'xen' })
        .then(resolveSettings, () => globalSettings);
      settingsCache.set(uri, s);
    }
    return s;
  }

  async function current(uri: string): Promise<{ doc: OpenDocument; settings: Settings } | undefined> {
    const td = documents.get(uri);
    if (!td) return undefined;
    const settings = await settingsFor(uri);
    const latest = documents.get(uri);
    if (!latest) return undefined;
    // (the parse runs under the time budget: a file that takes longer is abandoned, BudgetExceeded)
    const doc = withBudget(serverBudgetMs(), () => hosts.document(latest, settings));
    return doc ? { doc, settings } : undefined;
  }

  /** The host index: every document's one parse, and each host's model and check. */
  const hosts = new HostIndex();
  hosts.trackDocuments();
  /** The host diagnostics last computed for each open file (to re-publish only what changed). */
  const lastHost = new Map<string, { ref: Diagnostic[]; json: string }>();
  /** Per host root: the files' state the other open files were last re-checked for. */
  const fannedOut = new Map<string, string>();

  /** The host/* diagnostics of uri; re-checks the host's other open files whose verdict changed. */
  function hostDiagnostics(uri: string, settings: Settings): Diagnostic[] | undefined {
    const check = hosts.check(uri, documents.all(), settings);
    if (!check) {
      lastHost.delete(uri);
      return undefined;
    }
    const mine = check.diagnostics.get(uri) ?? [];
    lastHost.set(uri, { ref: mine, json: JSON.stringify(mine) });
    if (fannedOut.get(check.root) !== check.filesKey) {
      // only when a file of the host changed (not on the re-checks this causes): no ping-pong.
      // A file the check did not re-check keeps the very same array: nothing to compare.
      fannedOut.set(check.root, check.filesKey);
      for (const [other, diags] of check.diagnostics) {
        if (other === uri) continue;
        const last = lastHost.get(other);
        if (last?.ref === diags || !documents.get(other)) continue;
        if (last?.json !== JSON.stringify(diags)) validator.schedule(other, 0);
        else lastHost.set(other, { ref: diags, json: last.json });
      }
    }
    return mine;
  }

  const validator = new Validator({
    current,
    publish: (uri, version, diagnostics) => void connection.sendDiagnostics({ uri, version, diagnostics }),
    onError: (uri, err) => reportError(`checking ${uri}`, err),
    hostDiagnostics: (uri, _doc, settings) => hostDiagnostics(uri, settings),
  });

  /** An open document's text, else the file's on disk (file: uris), else undefined. */
  function textOf(uri: string): string | undefined {
    const d = documents.get(uri);
    if (d) return d.getText();
    if (!uri.startsWith('file:')) return undefined;
    try {
      return readFileSync(fileURLToPath(uri), 'utf8');
    } catch {
      return undefined;
    }
  }

  function reportError(what: string, err: unknown): void {
    if (isBudgetExceeded(err)) {
      connection.console.warn(`${SERVER_NAME}: ${what} abandoned: it took longer than its time budget of ${err.budgetMs} ms`);
      return;
    }
    const detail = err instanceof Error ? err.stack ?? err.message : String(err);
    connection.console.error(`${SERVER_NAME}: internal error while ${what}: ${detail}`);
  }

  /**
   * Runs a feature on the current document; any exception becomes a log line and an empty answer.
   * A request cancelled while its document was read answers the empty answer (LSP's for a
   * cancelled request: the client drops it) without running the feature.
   */
  function withDocument<T>(what: string, fallback: T, uri: string, token: CancellationToken | undefined, fn: (doc: OpenDocument, settings: Settings) => T) {
    if (token?.isCancellationRequested) return Promise.resolve(fallback);
    return current(uri).then(
      (cur) => {
        if (!cur || token?.isCancellationRequested) return fallback;
        try {
          return withBudget(serverBudgetMs(), () => fn(cur.doc, cur.settings));
        } catch (err) {
          reportError(`${what} in ${uri}`, err);
          return fallback;
        }
      },
      (err) => {
        reportError(`${what} in ${uri}`, err);
        return fallback;
      },
    );
  }

  async function scheduleValidation(uri: string, immediate = false): Promise<void> {
    const settings = await settingsFor(uri).catch(() => globalSettings);
    validator.schedule(uri, immediate ? 0 : settings.validation.delay);
  }

  connection.onInitialize((params): InitializeResult => {
    canPullConfiguration = !!params.capabilities.workspace?.configuration;
    canWatchFolders = !!params.capabilities.workspace?.workspaceFolders;
    // a workspace folder is the host of its files that lie in no etc/ tree
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    hosts.setWorkspaceFolders(folders);
    const init = params.initializationOptions as { settings?: unknown } | undefined;
    if (init?.settings) globalSettings = resolveSettings(init.settings);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['(', ' ', '=', ',', "'", '"', '['] },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        inlayHintProvider: true,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: SERVER_NAME, version: SERVER_VERSION },
    };
  });

  connection.onInitialized(() => {
    if (!canWatchFolders) return;
    connection.workspace.onDidChangeWorkspaceFolders(async () => {
      const folders = (await connection.workspace.getWorkspaceFolders().catch(() => null)) ?? [];
      hosts.setWorkspaceFolders(folders.map((f) => f.uri));
      fannedOut.clear();
      for (const d of documents.all()) void scheduleValidation(d.uri, true);
    });
  });

  connection.onDidChangeConfiguration((change) => {
    settingsCache.clear();
    if (!canPullConfiguration) {
      const s = (change.settings as { xen?: unknown } | undefined)?.xen;
      if (s !== undefined) globalSettings = resolveSettings(s);
    }
    hosts.clear();
    fannedOut.clear();
    for (const d of documents.all()) void scheduleValidation(d.uri, true);
  });

  // Host files changed on disk (the client watches **/etc/**) or saved: list the host again and
  // re-check its open files.
  const diskChanged = (uri: string) => {
    hosts.diskChanged(uri);
    const root = hosts.hostKey(uri);
    if (root !== undefined) for (const d of documents.all()) if (hosts.hostKey(d.uri) === root) void scheduleValidation(d.uri);
  };
  connection.onDidChangeWatchedFiles((p) => {
    for (const c of p.changes) diskChanged(c.uri);
  });
  documents.onDidSave((e) => diskChanged(e.document.uri));
  // The first check of a document opened runs at once; only typing is debounced. The document
  // library fires onDidChangeContent right after onDidOpen, for the same version: that one is the
  // open's, not an edit, and must not put the open's check back behind the debounce.
  const openedAt = new Map<string, number>();
  documents.onDidOpen((e) => {
    hosts.documentsChanged();
    openedAt.set(e.document.uri, e.document.version);
    void scheduleValidation(e.document.uri, true);
  });
  documents.onDidChangeContent((e) => {
    const opened = openedAt.get(e.document.uri);
    openedAt.delete(e.document.uri);
    if (opened === e.document.version) return;
    hosts.documentsChanged();
    void scheduleValidation(e.document.uri);
  });
  documents.onDidClose((e) => {
    openedAt.delete(e.document.uri);
    settingsCache.delete(e.document.uri);
    validator.close(e.document.uri);
    hosts.forget(e.document.uri);
    lastHost.delete(e.document.uri);
    // the host's other files now see this one as it is on disk (or not at all)
    const root = hosts.hostKey(e.document.uri);
    if (root !== undefined) for (const d of documents.all()) if (d.uri !== e.document.uri && hosts.hostKey(d.uri) === root) void scheduleValidation(d.uri);
  });

  /** The host model of uri's host (undefined when uri belongs to no host). */
  const modelOf = (uri: string, settings: Settings) => hosts.check(uri, documents.all(), settings)?.model;

  connection.onHover((p, token) =>
    withDocument('hover', null, p.textDocument.uri, token, (d, s) =>
      addressHover(modelOf(d.uri, s), d.parsed.lines, p.position, d.service.hover(d.parsed, p.position, s)),
    ),
  );
  connection.onCompletion((p, token) =>
    withDocument('completion', [], p.textDocument.uri, token, (d, s) => {
      const items = d.service.completion(d.parsed, p.position, s);
      return d.languageId === 'xen-domain' ? addressCompletion(modelOf(d.uri, s), d.parsed.ast, d.parsed.lines, p.position, items) : items;
    }),
  );
  connection.languages.inlayHint.on((p, token) =>
    withDocument('inlay hints', [], p.textDocument.uri, token, (d) => (d.languageId === 'debian-interfaces' ? netmaskHints(d.parsed.ast, d.parsed.lines, p.range) : [])),
  );
  connection.onRequest(HOST_INFO_REQUEST, async (p: { uri?: unknown } | undefined, token: CancellationToken) => {
    const uri = typeof p?.uri === 'string' ? p.uri : undefined;
    if (!uri) return null;
    try {
      const settings = await settingsFor(uri).catch(() => globalSettings);
      if (token.isCancellationRequested) return null;
      return withBudget(serverBudgetMs(), () => hostInfo(modelOf(uri, settings)));
    } catch (err) {
      reportError(`host info for ${uri}`, err);
      return null;
    }
  });
  // xen/hostView { uri } | { root } (see features/hostView.ts): the address view and the diagram
  connection.onRequest(HOST_VIEW_REQUEST, async (p: { uri?: unknown; root?: unknown } | undefined, token: CancellationToken) => {
    const root = typeof p?.uri === 'string' ? undefined : rootUri(p?.root);
    const uri = typeof p?.uri === 'string' ? p.uri : root;
    if (!uri) return null;
    try {
      const settings = await settingsFor(uri).catch(() => globalSettings);
      if (token.isCancellationRequested) return null;
      return withBudget(serverBudgetMs(), () =>
        hostView(root !== undefined ? hosts.snapshotOfFolder(root, documents.all(), settings) : hosts.checkHostOf(uri, documents.all(), settings)),
      );
    } catch (err) {
      reportError(`host view for ${uri}`, err);
      return null;
    }
  });
  // xen/generate/* (see features/generate.ts for the requests and their params)
  registerGenerate(
    connection,
    {
      hostOf: async (root, fresh) => {
        const settings = await settingsFor(root + '/').catch(() => globalSettings);
        return { snapshot: withBudget(serverBudgetMs(), () => hosts.snapshotOfFolder(root, documents.all(), settings, { fresh })), settings };
      },
    },
    reportError,
  );
  // xen/apply/prepare (see features/apply.ts): what "Apply to Host" would send, and the host's files now
  // xen/apply/inspect: what ssh would run on this machine for a host (asked before the first connection)
  connection.onRequest(APPLY_INSPECT_REQUEST, async (p: ApplyPrepareParams | undefined): Promise<ApplyInspection> => {
    try {
      return await inspectApply(p ?? {});
    } catch (err) {
      reportError('apply inspection', err);
      return { ok: false, errors: [`the ssh configuration could not be read: ${err instanceof Error ? err.message : String(err)}`] };
    }
  });
  connection.onRequest(APPLY_PREPARE_REQUEST, async (p: ApplyPrepareParams | undefined): Promise<ApplyPreparation> => {
    const folderUri = typeof p?.folderUri === 'string' ? p.folderUri : '';
    try {
      const settings = await settingsFor(folderUri + '/etc/network/interfaces').catch(() => globalSettings);
      return await prepareApply(p ?? {}, hosts, documents.all(), settings);
    } catch (err) {
      reportError(`apply preparation for ${folderUri}`, err);
      return { ok: false, errors: [`the apply could not be prepared: ${err instanceof Error ? err.message : String(err)}`] };
    }
  });
  connection.onDocumentSymbol((p, token) => withDocument('symbols', [], p.textDocument.uri, token, (d) => d.service.symbols(d.parsed)));
  connection.onFoldingRanges((p, token) => withDocument('folding', [], p.textDocument.uri, token, (d) => d.service.folding(d.parsed)));

  connection.onCodeAction((p, token) =>
    withDocument('code actions', [], p.textDocument.uri, token, (doc, settings) =>
      codeActions(p, {
        textOf,
        modelOf: (uri) => hosts.check(uri, documents.all(), settings)?.model,
        diagnosticsOf: (uri) => {
          const own = settings.validation.enable ? doc.service.diagnostics(doc.parsed, settings) : [];
          const host = settings.validation.enable ? hosts.check(uri, documents.all(), settings)?.diagnostics.get(uri) ?? [] : [];
          return [...own, ...host];
        },
      }),
    ),
  );

  // For tests only (XEN_LS_TEST_COUNTERS=1): how many texts the server parsed, and how much host checking ran.
  if (process.env.XEN_LS_TEST_COUNTERS === '1') connection.onRequest(TEST_COUNTERS_REQUEST, () => ({ parses: parseCount.parses, hostPasses: hostCheckWork.passes }));

  documents.listen(connection);
  connection.listen();
}
