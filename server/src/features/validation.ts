// Diagnostics pushed while the user types: debounced per document, and a check whose document
// has moved on (a newer version, or closed) is dropped instead of published.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { DIAGNOSTIC_SOURCE } from '../core/language';
import { withDocumentUri } from '../core/diagnostics';
import type { OpenDocument } from '../workspace/documents';
import type { Settings } from '../core/settings';
import { mergeHostDiagnostics } from './host';
import { isBudgetExceeded, serverBudgetMs, withBudget } from '../core/budget';
import { boundTokens } from '../core/message';

export interface ValidationHost {
  /** The current document for a uri, or undefined when it is closed or not ours. */
  current(uri: string): Promise<{ doc: OpenDocument; settings: Settings } | undefined>;
  publish(uri: string, version: number | undefined, diagnostics: Diagnostic[]): void;
  onError(uri: string, err: unknown): void;
  /** The time budget of one check, in ms (default: core/budget's serverBudgetMs). */
  budgetMs?(): number;
  /** Diagnostics from beyond the file itself (the host model), added to the file's own. */
  extraDiagnostics?(uri: string, doc: OpenDocument, settings: Settings): Diagnostic[];
}

export class Validator {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly generation = new Map<string, number>();

  constructor(private readonly host: ValidationHost) {}

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
      let cur: Awaited<ReturnType<ValidationHost['current']>>;
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
      let diagnostics: Diagnostic[];
      try {
        diagnostics = settings.validation.enable ? withDocumentUri(withBudget(budget, () => doc.service.diagnostics(doc.parsed, settings)), uri) : [];
      } catch (err) {
        if (isBudgetExceeded(err)) diagnostics = [timeoutDiagnostic('the check of this file', err.budgetMs)];
        else {
          // Say so in the file rather than show a clean bill of health that was never checked.
          this.host.onError(uri, err);
          diagnostics = [internalErrorDiagnostic()];
        }
      }
      if (settings.validation.enable && this.host.extraDiagnostics) {
        // a failure here must leave the file's own diagnostics published
        try {
          diagnostics = mergeHostDiagnostics(diagnostics, withBudget(budget, () => this.host.extraDiagnostics!(uri, doc, settings)));
        } catch (err) {
          if (isBudgetExceeded(err)) diagnostics = diagnostics.concat(timeoutDiagnostic("the check of this file's host (its other files)", err.budgetMs));
          else this.host.onError(uri, err);
        }
      }
      if (this.generation.get(uri) !== gen) return;
      // a message quotes at most a short piece of any token of the file
      // (copies: the host's diagnostics are kept and compared between checks)
      diagnostics = diagnostics.map((d) => {
        const message = typeof d.message === 'string' ? boundTokens(d.message) : d.message;
        return message === d.message ? d : { ...d, message };
      });
      this.host.publish(uri, doc.version, diagnostics);
    } catch (err) {
      this.host.onError(uri, err);
    }
  }
}

export const INTERNAL_ERROR_CODE = 'server/internal-error';
export const TIMEOUT_CODE = 'server/check-timeout';

/** A check abandoned when its time budget was spent. */
export function timeoutDiagnostic(what: string, budgetMs: number): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Warning,
    code: 'server/check-timeout',
    source: DIAGNOSTIC_SOURCE,
    message: `Not checked: ${what} took longer than ${budgetMs} ms and was abandoned, so that the server goes on answering. The file may be fine; it is bigger or more tangled than a host's configuration usually is.`,
  };
}

function internalErrorDiagnostic(): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Warning,
    code: INTERNAL_ERROR_CODE,
    source: DIAGNOSTIC_SOURCE,
    message:
      'This file could not be checked: the Xen language server hit an internal error (details are in its output log). ' +
      'The file itself may be fine; please report the problem with the file attached.',
  };
}
