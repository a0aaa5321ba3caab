// Diagnostics pushed while the user types: debounced per document, and a check whose document
// has moved on (a newer version, or closed) is dropped instead of published. A file whose host
// must first be read (a large host, opened for the first time) gets two publishes: its own
// diagnostics at once, then, once the host's files are read (in slices that leave the server
// answering), its own and its host's together, which replace them.
import type { Diagnostic } from 'vscode-languageserver-types';
import { fileDiagnostics, ownDiagnostics, timeoutDiagnostic, type OpenDocument } from '../host/index';
import type { Settings } from '../core/settings';
import { isBudgetExceeded, serverBudgetMs } from '../core/budget';

/** What the validator is given: the current documents, where diagnostics go, and the host's diagnostics of a file. */
export interface ValidatorCallbacks {
  /** The current document for a uri, or undefined when it is closed or not ours. */
  current(uri: string): Promise<{ doc: OpenDocument; settings: Settings } | undefined>;
  /** Sends the diagnostics; the promise (when there is one) resolves once they are written. */
  publish(uri: string, version: number | undefined, diagnostics: Diagnostic[]): void | Promise<void>;
  onError(uri: string, err: unknown): void;
  /** The time budget of one check, in ms (default: core/budget's serverBudgetMs). */
  budgetMs?(): number;
  /** The host/* diagnostics of the file (undefined: it has no host), merged with its own by fileDiagnostics. */
  hostDiagnostics?(uri: string, doc: OpenDocument, settings: Settings): Diagnostic[] | undefined;
  /**
   * What the host's check must read first, when that is much (undefined: nothing to wait for):
   * resolves once it is read, or when cancelled() says the check is superseded. The read starts
   * once `after` settles (the file's own diagnostics, published and written).
   */
  hostPending?(uri: string, settings: Settings, options: { budgetMs: number; cancelled: () => boolean; after: Promise<unknown> }): Promise<void> | undefined;
}

export class Validator {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly generation = new Map<string, number>();

  constructor(private readonly host: ValidatorCallbacks) {}

  /** Schedules a check of uri after `delay` ms; a later call for the same uri supersedes it. */
  schedule(uri: string, delay: number): void {
    this.cancel(uri);
    const gen = (this.generation.get(uri) ?? 0) + 1;
    this.generation.set(uri, gen);
    const timer = setTimeout(() => {
      this.timers.delete(uri);
      void this.run(uri, gen);
    }, delay);
    this.timers.set(uri, timer);
  }

  cancel(uri: string): void {
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.delete(uri);
  }

  /** Forgets a closed document and clears its diagnostics. */
  close(uri: string): void {
    this.cancel(uri);
    this.generation.set(uri, (this.generation.get(uri) ?? 0) + 1);
    this.host.publish(uri, undefined, []);
  }

  private async run(uri: string, gen: number): Promise<void> {
    try {
      let cur: Awaited<ReturnType<ValidatorCallbacks['current']>>;
      try {
        cur = await this.host.current(uri);
      } catch (err) {
        // reading the file overran its budget: say so (the server goes on answering)
        if (!isBudgetExceeded(err)) throw err;
        if (this.generation.get(uri) === gen) this.host.publish(uri, undefined, [timeoutDiagnostic('the reading of this file', err.budgetMs)]);
        return;
      }
      if (this.generation.get(uri) !== gen) return; // superseded while settings were fetched
      if (!cur) return;
      const { doc, settings } = cur;
      const budget = this.host.budgetMs?.() ?? serverBudgetMs();
      const options = { budgetMs: budget, onError: (err: unknown) => this.host.onError(uri, err) };
      const superseded = () => this.generation.get(uri) !== gen;
      let published: (written: unknown) => void = () => undefined;
      const after = new Promise<unknown>((resolve) => (published = resolve));
      const pending = settings.validation.enable ? this.host.hostPending?.(uri, settings, { budgetMs: budget, cancelled: superseded, after }) : undefined;
      let own: Diagnostic[] | undefined;
      if (pending) {
        // the file's own diagnostics now (as merged with a host that has none yet), its host's when read
        try {
          own = ownDiagnostics(uri, doc, settings, options);
          published(
            this.host.publish(
              uri,
              doc.version,
              fileDiagnostics(uri, doc, settings, () => [], { ...options, own }),
            ),
          );
        } finally {
          published(undefined);
        }
        await pending;
        if (superseded()) return;
      }
      const diagnostics = fileDiagnostics(uri, doc, settings, () => this.host.hostDiagnostics?.(uri, doc, settings), { ...options, own });
      if (this.generation.get(uri) !== gen) return;
      this.host.publish(uri, doc.version, diagnostics);
    } catch (err) {
      this.host.onError(uri, err);
    }
  }
}
