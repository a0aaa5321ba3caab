// The server's wiring: the document store, the host index, the settings, the diagnostics
// publisher and the routing table (lsp/routes.ts). Knowledge lives in the formats and the
// features; this file only connects them and keeps the server alive whatever a request does.
import {
  TextDocuments,
  TextDocumentSyncKind,
  CodeActionKind,
  MessageType,
  ShowMessageNotification,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { resolveSettings, settingProblemReporter, type Settings } from './core/settings';
import { isBudgetExceeded, serverBudgetMs, withBudget } from './core/budget';
import { FIX_ALL_KIND } from './features/codeActions';
import { hostCheckWork, HostIndex, hostReadWork, parseCount, type HostCheck } from './host/index';
import type { ServerContext } from './lsp/context';
import { DiagnosticsPublisher } from './lsp/publisher';
import { registerRoutes } from './lsp/routes';
import { HostsSettingReporter } from './lsp/hostsSetting';
import { PreparedRuns } from './features/applyRun';
import { LiveStates } from './features/live';
import { TestCountersRequest } from './protocol';

export const SERVER_NAME = 'xen-language-server';
export const SERVER_VERSION = '0.1.0';

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const settingsCache = new Map<string, Promise<Settings>>();
  let canPullConfiguration = false;
  let canWatchFolders = false;
  let globalSettings: Settings = resolveSettings(undefined);
  let folders: string[] = [];
  /** The host index: every document's one parse, and each host's model and check. */
  const index = new HostIndex();
  index.trackDocuments();
  /** Settings from the client, each unusable value told to the user once with its reason. */
  const tellProblems = settingProblemReporter(
    (message) => void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message }),
  );
  const settingsOf = (raw: unknown): Settings => tellProblems(resolveSettings(raw));

  function settingsFor(uri: string): Promise<Settings> {
    if (!canPullConfiguration) return Promise.resolve(globalSettings);
    let s = settingsCache.get(uri);
    if (!s) {
      s = connection.workspace.getConfiguration({ scopeUri: uri, section: 'xen' }).then(settingsOf, () => globalSettings);
      settingsCache.set(uri, s);
    }
    return s.catch(() => globalSettings);
  }

  async function current(uri: string) {
    if (!documents.get(uri)) return undefined;
    const settings = await settingsFor(uri);
    const latest = documents.get(uri);
    if (!latest) return undefined;
    // (the parse runs under the time budget: a file that takes longer is abandoned, BudgetExceeded)
    const doc = withBudget(serverBudgetMs(), () => index.document(latest, settings));
    return doc ? { doc, settings } : undefined;
  }

  function reportError(what: string, err: unknown): void {
    if (isBudgetExceeded(err)) {
      connection.console.warn(`${SERVER_NAME}: ${what} abandoned: it took longer than its time budget of ${err.budgetMs} ms`);
      return;
    }
    const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
    connection.console.error(`${SERVER_NAME}: internal error while ${what}: ${detail}`);
  }

  const live = new LiveStates();
  const liveDiagnostics = (uri: string, check: HostCheck) => live.diagnosticsOf(uri, check);
  // For tests only (XEN_LS_TEST_COUNTERS=1): the texts parsed by the time of each publish, per uri (the last 8).
  const counting = process.env.XEN_LS_TEST_COUNTERS === '1';
  const parsesAtPublish = new Map<string, number[]>();
  /** Per uri, the host-read slices run by the time each publish was written (the last 8). */
  const slicesAtWrite = new Map<string, number[]>();
  const onWritten = counting ? (uri: string) => slicesAtWrite.set(uri, [...(slicesAtWrite.get(uri) ?? []), hostReadWork.slices].slice(-8)) : undefined;
  const onPublish = counting
    ? (uri: string) => {
        const list = parsesAtPublish.get(uri) ?? [];
        list.push(parseCount.parses);
        parsesAtPublish.set(uri, list.slice(-8));
      }
    : undefined;
  const publisher = new DiagnosticsPublisher({ connection, documents, index, current, settingsFor, reportError, liveDiagnostics, onPublish, onWritten });
  const runs = new PreparedRuns();
  const ctx: ServerContext = { connection, documents, index, publisher, runs, live, settingsFor, current, reportError, workspaceFolders: () => folders };

  /** Tells the user of problems in xen.hosts (duplicate names, unusable entries). */
  const hostsSetting = new HostsSettingReporter(connection);
  let initSettings: unknown;
  const reportHostsSetting = async (pushed?: unknown) => {
    const section = canPullConfiguration ? await connection.workspace.getConfiguration('xen').catch(() => undefined) : (pushed ?? initSettings);
    hostsSetting.report(section);
  };

  connection.onInitialize((params): InitializeResult => {
    canPullConfiguration = !!params.capabilities.workspace?.configuration;
    canWatchFolders = !!params.capabilities.workspace?.workspaceFolders;
    // a workspace folder is the host of its files that lie in no etc/ tree
    folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    index.setWorkspaceFolders(folders);
    const init = params.initializationOptions as { settings?: unknown } | undefined;
    if (init?.settings) globalSettings = settingsOf(init.settings);
    initSettings = init?.settings;
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
    void reportHostsSetting();
    if (!canWatchFolders) return;
    connection.workspace.onDidChangeWorkspaceFolders(async () => {
      folders = ((await connection.workspace.getWorkspaceFolders().catch(() => null)) ?? []).map((f) => f.uri);
      index.setWorkspaceFolders(folders);
      publisher.recheckAll();
    });
  });

  connection.onDidChangeConfiguration((change) => {
    settingsCache.clear();
    if (!canPullConfiguration) {
      const s = (change.settings as { xen?: unknown } | undefined)?.xen;
      if (s !== undefined) globalSettings = settingsOf(s);
    }
    index.clear();
    publisher.recheckAll();
    void reportHostsSetting((change.settings as { xen?: unknown } | undefined)?.xen);
  });

  // Host files changed on disk (the client watches them) or saved: list the host again and re-check its open files.
  connection.onDidChangeWatchedFiles((p) => {
    for (const c of p.changes) publisher.diskChanged(c.uri);
  });
  documents.onDidSave((e) => publisher.diskChanged(e.document.uri));
  documents.onDidOpen((e) => publisher.opened(e.document.uri, e.document.version));
  documents.onDidChangeContent((e) => publisher.changed(e.document.uri, e.document.version));
  documents.onDidClose((e) => {
    settingsCache.delete(e.document.uri);
    publisher.closed(e.document.uri);
  });

  registerRoutes(ctx);
  // For tests only (XEN_LS_TEST_COUNTERS=1): how many texts the server parsed, and how much host checking ran.
  if (counting)
    connection.onRequest(TestCountersRequest, (p) => ({
      parses: parseCount.parses,
      hostPasses: hostCheckWork.passes,
      hostFilesReadAhead: hostReadWork.files,
      parsesAtPublish: p?.uri === undefined ? undefined : (parsesAtPublish.get(p.uri) ?? []),
      hostReadSlices: hostReadWork.slices,
      slicesAtWrite: p?.uri === undefined ? undefined : (slicesAtWrite.get(p.uri) ?? []),
    }));

  documents.listen(connection);
  connection.listen();
}
