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
import { resolveSettings, type Settings } from './core/settings';
import { Validator } from './features/validation';

export const SERVER_NAME = 'xen-language-server';
export const SERVER_VERSION = '0.1.0';

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const cache = new DocumentCache();
  const settingsCache = new Map<string, Promise<Settings>>();
  let canPullConfiguration = false;
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
    const doc = cache.get(latest, settings);
    return doc ? { doc, settings } : undefined;
  }

  const validator = new Validator({
    current,
    publish: (uri, version, diagnostics) => void connection.sendDiagnostics({ uri, version, diagnostics }),
    onError: (uri, err) => reportError(`checking ${uri}`, err),
  });

  function reportError(what: string, err: unknown): void {
    const detail = err instanceof Error ? err.stack ?? err.message : String(err);
    connection.console.error(`${SERVER_NAME}: internal error while ${what}: ${detail}`);
  }

  /** Runs a feature on the current document; any exception becomes a log line and an empty answer. */
  function withDocument<T>(what: string, fallback: T, uri: string, fn: (doc: OpenDocument, settings: Settings) => T) {
    return current(uri).then(
      (cur) => {
        if (!cur) return fallback;
        try {
          return fn(cur.doc, cur.settings);
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
    const init = params.initializationOptions as { settings?: unknown } | undefined;
    if (init?.settings) globalSettings = resolveSettings(init.settings);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['(', ' ', '=', ',', "'", '"', '['] },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
      },
      serverInfo: { name: SERVER_NAME, version: SERVER_VERSION },
    };
  });

  connection.onDidChangeConfiguration((change) => {
    settingsCache.clear();
    if (!canPullConfiguration) {
      const s = (change.settings as { xen?: unknown } | undefined)?.xen;
      if (s !== undefined) globalSettings = resolveSettings(s);
    }
    cache.clear();
    for (const d of documents.all()) void scheduleValidation(d.uri, true);
  });

  documents.onDidOpen((e) => void scheduleValidation(e.document.uri, true));
  documents.onDidChangeContent((e) => void scheduleValidation(e.document.uri));
  documents.onDidClose((e) => {
    cache.delete(e.document.uri);
    settingsCache.delete(e.document.uri);
    validator.close(e.document.uri);
  });

  connection.onHover((p) => withDocument('hover', null, p.textDocument.uri, (d, s) => d.service.hover(d.parsed, p.position, s)));
  connection.onCompletion((p) =>
    withDocument('completion', [], p.textDocument.uri, (d, s) => d.service.completion(d.parsed, p.position, s)),
  );
  connection.onDocumentSymbol((p) => withDocument('symbols', [], p.textDocument.uri, (d) => d.service.symbols(d.parsed)));
  connection.onFoldingRanges((p) => withDocument('folding', [], p.textDocument.uri, (d) => d.service.folding(d.parsed)));

  documents.listen(connection);
  connection.listen();
}
