// What every LSP handler is given: the open documents, the host index, the settings in force for
// a uri, the current parsed document, the diagnostics publisher and the error log. Built once by
// startServer (server.ts); the handlers (lsp/routes.ts) hold no state of their own.
import type { CancellationToken, Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Settings } from '../core/settings';
import type { HostIndex, OpenDocument } from '../host/index';
import type { DiagnosticsPublisher } from './publisher';
import type { PreparedRuns } from '../features/applyRun';
import type { LiveStates } from '../features/live';

export interface ServerContext {
  readonly connection: Connection;
  readonly documents: TextDocuments<TextDocument>;
  readonly index: HostIndex;
  readonly publisher: DiagnosticsPublisher;
  /** The apply runs prepared and not yet written (xen/apply/runFiles). */
  readonly runs: PreparedRuns;
  /** What the running hosts said (xen/live/check), until each is checked again. */
  readonly live: LiveStates;
  /** The settings in force for uri (the client's, else the ones given at initialize); never rejects. */
  settingsFor(uri: string): Promise<Settings>;
  /** The current parsed document of uri and its settings; undefined when it is closed or not ours. */
  current(uri: string): Promise<{ doc: OpenDocument; settings: Settings } | undefined>;
  /** Logs an error (a spent time budget as a warning). */
  reportError(what: string, err: unknown): void;
  /** The workspace folders told at initialize and since. */
  workspaceFolders(): string[];
}

/**
 * Runs a feature on the current document under the time budget; any exception becomes a log line
 * and the empty answer. A request cancelled before or while its document was read answers the
 * empty answer (what LSP expects of a cancelled request: the client drops it) without running.
 */
export function withDocument<T>(
  ctx: ServerContext,
  what: string,
  fallback: T,
  uri: string,
  token: CancellationToken | undefined,
  fn: (doc: OpenDocument, settings: Settings) => T,
  budget: <R>(fn: () => R) => R,
): Promise<T> {
  if (token?.isCancellationRequested) return Promise.resolve(fallback);
  return ctx.current(uri).then(
    (cur) => {
      if (!cur || token?.isCancellationRequested) return fallback;
      try {
        return budget(() => fn(cur.doc, cur.settings));
      } catch (err) {
        ctx.reportError(`${what} in ${uri}`, err);
        return fallback;
      }
    },
    (err) => {
      ctx.reportError(`${what} in ${uri}`, err);
      return fallback;
    },
  );
}
