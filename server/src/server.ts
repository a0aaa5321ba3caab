// Wires LSP requests and notifications to the features. Knowledge lives in the formats;
// this file only routes, caches and keeps the server alive whatever a request does.
import {
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentCache, type OpenDocument } from './workspace/documents';
import { resolveSettings, settingProblemReporter, type Settings } from './core/settings';
import { Validator } from './features/validation';
import { HostChecker } from './features/host';
import { codeActions, FIX_ALL_KIND } from './features/codeActions';
import { HOST_VIEW_REQUEST, hostView } from './features/hostView';
import { addressCompletion, addressHover, HOST_INFO_REQUEST, hostInfo } from './features/addresses';
import { registerGenerate, rootUri } from './features/generate';
import { APPLY_INSPECT_REQUEST, APPLY_PREPARE_REQUEST, inspectApply, prepareApply, type ApplyInspection, type ApplyPreparation, type ApplyPrepareParams } from './features/apply';
import { readFileSync } from 'node:fs';
import { isBudgetExceeded, serverBudgetMs, withBudget } from './core/budget';
import { fileUriToPath } from './core/uri';
import { CodeActionKind, MessageType, ShowMessageNotification, type Diagnostic } from 'vscode-languageserver';

export const SERVER_NAME = 'xen-language-server';
export const SERVER_VERSION = '0.1.0';

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const cache = new DocumentCache();
  const settingsCache = new Map<string, Promise<Settings>>();
  let canPullConfiguration = false;
  let canWatchFolders = false;
  let globalSettings: Settings = resolveSettings(undefined);
  /** Settings from the client, each unusable value told to the user once with its reason. */
  const tellProblems = settingProblemReporter((message) => void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message }));
  const settingsOf = (raw: unknown): Settings => tellProblems(resolveSettings(raw));

  function settingsFor(uri: string): Promise<Settings> {
    if (!canPullConfiguration) return Promise.resolve(globalSettings);
    let s = settingsCache.get(uri);
    if (!s) {
      s = connection.workspace
        .getConfiguration({ scopeUri: uri, section: 'xen' })
        .then(settingsOf, () => globalSettings);
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
    const doc = withBudget(serverBudgetMs(), () => cache.get(latest, settings));
    return doc ? { doc, settings } : undefined;
  }

  const hosts = new HostChecker();
  hosts.trackDocuments();
  /** The host diagnostics last computed for each open file (to re-publish only what changed). */
  const lastHost = new Map<string, { ref: Diagnostic[]; json: string }>();
  /** Per host root: the files' state the other open files were last re-checked for. */
  const fannedOut = new Map<string, string>();

  /** The host/* diagnostics of uri; re-checks the host's other open files whose verdict changed. */
  function hostDiagnostics(uri: string, settings: Settings): Diagnostic[] {
    const check = hosts.check(uri, documents.all(), settings);
    if (!check) {
      lastHost.delete(uri);
      return [];
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
    extraDiagnostics: (uri, _doc, settings) => hostDiagnostics(uri, settings),
  });

  /** An open document's text, else the file's on disk (file: uris), else undefined. */
  function textOf(uri: string): string | undefined {
    const d = documents.get(uri);
    if (d) return d.getText();
    const path = fileUriToPath(uri);
    if (path === undefined) return undefined;
    try {
      return readFileSync(path, 'utf8');
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

  /** Runs a feature on the current document; any exception becomes a log line and an empty answer. */
  function withDocument<T>(what: string, fallback: T, uri: string, fn: (doc: OpenDocument, settings: Settings) => T) {
    return current(uri).then(
      (cur) => {
        if (!cur) return fallback;
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
    if (init?.settings) globalSettings = settingsOf(init.settings);
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
      if (s !== undefined) globalSettings = settingsOf(s);
    }
    cache.clear();
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
    cache.delete(e.document.uri);
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

  connection.onHover((p) =>
    withDocument('hover', null, p.textDocument.uri, (d, s) =>
      addressHover(modelOf(d.uri, s), d.parsed.lines, p.position, d.service.hover(d.parsed, p.position, s)),
    ),
  );
  connection.onCompletion((p) =>
    withDocument('completion', [], p.textDocument.uri, (d, s) => {
      const items = d.service.completion(d.parsed, p.position, s);
      return d.languageId === 'xen-domain' ? addressCompletion(modelOf(d.uri, s), d.uri, d.parsed.lines, p.position, items) : items;
    }),
  );
  connection.languages.inlayHint.on((p) =>
    withDocument('inlay hints', [], p.textDocument.uri, (d) => d.service.inlayHints?.(d.parsed, p.range) ?? []),
  );
  connection.onRequest(HOST_INFO_REQUEST, async (p: { uri?: unknown } | undefined) => {
    const uri = typeof p?.uri === 'string' ? p.uri : undefined;
    if (!uri) return null;
    try {
      const settings = await settingsFor(uri).catch(() => globalSettings);
      return withBudget(serverBudgetMs(), () => hostInfo(modelOf(uri, settings)));
    } catch (err) {
      reportError(`host info for ${uri}`, err);
      return null;
    }
  });
  // xen/hostView { uri } | { root } (see features/hostView.ts): the address view and the diagram
  connection.onRequest(HOST_VIEW_REQUEST, async (p: { uri?: unknown; root?: unknown } | undefined) => {
    const uri = typeof p?.uri === 'string' ? p.uri : rootUri(p?.root) !== undefined ? rootUri(p?.root) + '/etc/network/interfaces' : undefined;
    if (!uri) return null;
    try {
      const settings = await settingsFor(uri).catch(() => globalSettings);
      return withBudget(serverBudgetMs(), () => hostView(hosts.checkHostOf(uri, documents.all(), settings)));
    } catch (err) {
      reportError(`host view for ${uri}`, err);
      return null;
    }
  });
  // xen/generate/* (see features/generate.ts for the requests and their params)
  registerGenerate(connection, { documents: () => documents.all(), settingsFor: (uri) => settingsFor(uri).catch(() => globalSettings) }, reportError);
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
  connection.onDocumentSymbol((p) => withDocument('symbols', [], p.textDocument.uri, (d) => d.service.symbols(d.parsed)));
  connection.onFoldingRanges((p) => withDocument('folding', [], p.textDocument.uri, (d) => d.service.folding(d.parsed)));

  connection.onCodeAction((p) =>
    withDocument('code actions', [], p.textDocument.uri, (doc, settings) =>
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

  documents.listen(connection);
  connection.listen();
}
