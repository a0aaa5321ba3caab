// Diagnostics pushed while the user types: debounced per document, and a check whose document
// has moved on (a newer version, or closed) is dropped instead of published.
import type { Diagnostic } from 'vscode-languageserver-types';
import { fileDiagnostics, timeoutDiagnostic, type OpenDocument } from '../host/index';
import type { Settings } from '../core/settings';
import { isBudgetExceeded, serverBudgetMs } from '../core/budget';

/** What the validator is given: the current documents, where diagnostics go, and the host's diagnostics of a file. */
export interface ValidatorCallbacks {
  /** The current document for a uri, or undefined when it is closed or not ours. */
  current(uri: string): Promise<{ doc: OpenDocument; settings: Settings } | undefined>;
  publish(uri: string, version: number | undefined, diagnostics: Diagnostic[]): void;
  onError(uri: string, err: unknown): void;
  /** The time budget of one check, in ms (default: core/budget's serverBudgetMs). */
  budgetMs?(): number;
  /** The host/* diagnostics of the file (undefined: it has no host), merged with its own by fileDiagnostics. */
  hostDiagnostics?(uri: string, doc: OpenDocument, settings: Settings): Diagnostic[] | undefined;
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
      const diagnostics = fileDiagnostics(uri, doc, settings, () => this.host.hostDiagnostics?.(uri, doc, settings), {
        budgetMs: budget,
        onError: (err) => this.host.onError(uri, err),
      });
      if (this.generation.get(uri) !== gen) return;
      this.host.publish(uri, doc.version, diagnostics);
    } catch (err) {
      this.host.onError(uri, err);
    }
  }
}
