// The diagnostics publisher: what the server sends as textDocument/publishDiagnostics. Each open
// file is checked by the Validator (debounced, dropped when superseded), its diagnostics being
// fileDiagnostics() of its own parse and its host's check; when a file of a host changes, the
// host's other open files whose host diagnostics changed are checked again (once per change of the
// host's files: no ping-pong between them).
import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { Settings } from '../core/settings';
import type { HostCheck, HostIndex, OpenDocument } from '../host/index';
import { Validator } from '../features/validation';

export interface PublisherSources {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  index: HostIndex;
  current(uri: string): Promise<{ doc: OpenDocument; settings: Settings } | undefined>;
  settingsFor(uri: string): Promise<Settings>;
  reportError(what: string, err: unknown): void;
  /** What the running host said of this file (xen/live/check: live/* diagnostics), added to its host's. */
  liveDiagnostics?(uri: string, check: HostCheck): Diagnostic[];
  /** Told of every publish (for tests: the work done by then), and once it is written. */
  onPublish?(uri: string): void;
  onWritten?(uri: string): void;
}

/**
 * A host with this many files on disk not yet read is read in slices before its check, its open
 * file's own diagnostics published first (fewer are read at once: a few ms, one publish).
 */
export const HOST_READ_AT_ONCE = 64;
/** The work of one slice of that read, in ms, before the server turns to the requests waiting. */
export const HOST_READ_SLICE_MS = 10;

export class DiagnosticsPublisher {
  /** The host diagnostics last computed for each open file (to re-publish only what changed). */
  private readonly lastHost = new Map<string, { ref: Diagnostic[]; json: string }>();
  /** Per host: the files' state the other open files were last re-checked for. */
  private readonly fannedOut = new Map<string, string>();
  private readonly validator: Validator;
  /** The version each document was opened at (its first change event is the open's, not an edit). */
  private readonly openedAt = new Map<string, number>();

  constructor(private readonly s: PublisherSources) {
    this.validator = new Validator({
      current: (uri) => s.current(uri),
      publish: (uri, version, diagnostics) => {
        s.onPublish?.(uri);
        // (resolves once written; a connection gone meanwhile is nothing to report: never rejects)
        const written = s.connection.sendDiagnostics({ uri, version, diagnostics }).catch(() => undefined);
        return s.onWritten ? written.then(() => s.onWritten?.(uri)) : written;
      },
      onError: (uri, err) => s.reportError(`checking ${uri}`, err),
      hostDiagnostics: (uri, _doc, settings) => this.hostDiagnostics(uri, settings),
      hostPending: (uri, settings, { budgetMs, cancelled, after }) =>
        s.index.readHostInSlices(uri, () => s.documents.all(), settings, {
          atOnce: HOST_READ_AT_ONCE,
          sliceMs: HOST_READ_SLICE_MS,
          budgetMs,
          cancelled,
          after,
        }),
    });
  }

  /** The host/* diagnostics of uri; schedules the host's other open files whose verdict changed. */
  private hostDiagnostics(uri: string, settings: Settings): Diagnostic[] | undefined {
    const { index, documents } = this.s;
    const check = index.check(uri, documents.all(), settings);
    if (!check) {
      this.lastHost.delete(uri);
      return undefined;
    }
    const mine = check.diagnostics.get(uri) ?? [];
    this.lastHost.set(uri, { ref: mine, json: JSON.stringify(mine) });
    if (this.fannedOut.get(check.root) !== check.filesKey) {
      // only when a file of the host changed (not on the re-checks this causes): no ping-pong.
      // A file the check did not re-check keeps the very same array: nothing to compare.
      this.fannedOut.set(check.root, check.filesKey);
      for (const [other, diags] of check.diagnostics) {
        if (other === uri) continue;
        const last = this.lastHost.get(other);
        if (last?.ref === diags || !documents.get(other)) continue;
        if (last?.json !== JSON.stringify(diags)) this.validator.schedule(other, 0);
        else this.lastHost.set(other, { ref: diags, json: last.json });
      }
    }
    const live = this.s.liveDiagnostics?.(uri, check);
    return live?.length ? mine.concat(live) : mine;
  }

  /** What a host's running state says changed (xen/live/check): its open files are checked at once. */
  hostChanged(root: string): void {
    const { index, documents } = this.s;
    for (const d of documents.all()) if (index.hostKey(d.uri) === root) void this.schedule(d.uri, true);
  }

  /** Checks uri after the settings' delay (immediate: at once). */
  async schedule(uri: string, immediate = false): Promise<void> {
    const settings = await this.s.settingsFor(uri);
    this.validator.schedule(uri, immediate ? 0 : settings.validation.delay);
  }

  /** Everything may read differently (settings, workspace folders): every open file at once. */
  recheckAll(): void {
    this.fannedOut.clear();
    for (const d of this.s.documents.all()) void this.schedule(d.uri, true);
  }

  /** A file of a host changed on disk (watched, or saved): its host is listed again and its open files checked. */
  diskChanged(uri: string): void {
    const { index, documents } = this.s;
    index.diskChanged(uri);
    const root = index.hostKey(uri);
    if (root !== undefined) for (const d of documents.all()) if (index.hostKey(d.uri) === root) void this.schedule(d.uri);
  }

  /** The first check of a document opened runs at once; only typing is debounced. */
  opened(uri: string, version: number): void {
    this.s.index.documentsChanged();
    this.openedAt.set(uri, version);
    void this.schedule(uri, true);
  }

  /**
   * A document's text changed. The document library fires this right after an open, for the same
   * version: that one is the open's, not an edit, and must not put the open's check back behind
   * the debounce.
   */
  changed(uri: string, version: number): void {
    const opened = this.openedAt.get(uri);
    this.openedAt.delete(uri);
    if (opened === version) return;
    this.s.index.documentsChanged();
    void this.schedule(uri);
  }

  /** A document closed: its diagnostics cleared, and its host's other files see it as the disk has it. */
  closed(uri: string): void {
    const { index, documents } = this.s;
    this.openedAt.delete(uri);
    this.validator.close(uri);
    index.forget(uri);
    this.lastHost.delete(uri);
    const root = index.hostKey(uri);
    if (root !== undefined) for (const d of documents.all()) if (d.uri !== uri && index.hostKey(d.uri) === root) void this.schedule(d.uri);
  }
}
