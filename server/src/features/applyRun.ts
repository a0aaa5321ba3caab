// xen/apply/runFiles and xen/apply/discardRun (server/src/protocol/apply.ts): the server writes
// the files the terminal runs for an apply it prepared, so that the client only opens the
// terminal. A run is named by the runId of its preparation; what is written is the runner and
// the script the server itself prepared (the client sends no script), once per run.
import { writeRunFiles } from '../apply/index';
import type { ApplyPreparation, ApplyRunFiles, Unchecked, ApplyRunFilesParams } from '../protocol';

/** Preparations kept for a run at most (each a few KB): the oldest is dropped first. */
export const MAX_PREPARED_RUNS = 16;

export class PreparedRuns {
  /** runId -> what its terminal runs, in the order prepared. */
  private readonly prepared = new Map<string, { runner: string; script: string }>();
  /** runId -> how to remove its written files (until the terminal started or was given up). */
  private readonly written = new Map<string, () => void>();

  constructor(private readonly tmpBase?: string) {}

  /** Keeps what an answered preparation would run. */
  remember(p: ApplyPreparation): void {
    if (!p.ok) return;
    this.prepared.set(p.runId, { runner: p.runner, script: p.script });
    for (const id of this.prepared.keys()) {
      if (this.prepared.size <= MAX_PREPARED_RUNS) break;
      this.prepared.delete(id);
    }
  }

  /** Writes the run's files (once); the terminal's command line. */
  runFiles(params: Unchecked<ApplyRunFilesParams> | undefined): ApplyRunFiles {
    const runId = typeof params?.runId === 'string' ? params.runId : '';
    const run = this.prepared.get(runId);
    if (!run)
      return {
        ok: false,
        errors: [`no prepared apply ${JSON.stringify(runId.slice(0, 64))} to run (it ran already, or was prepared too long ago): prepare it again`],
      };
    this.prepared.delete(runId);
    const files = this.tmpBase === undefined ? writeRunFiles(run.runner, run.script) : writeRunFiles(run.runner, run.script, this.tmpBase);
    this.written.set(runId, files.remove);
    for (const id of this.written.keys()) {
      if (this.written.size <= MAX_PREPARED_RUNS) break;
      this.written.delete(id);
    }
    return { ok: true, argv: files.argv };
  }

  /** Removes the files of a run whose terminal did not start. */
  discard(params: Unchecked<{ runId: string }> | undefined): void {
    const runId = typeof params?.runId === 'string' ? params.runId : '';
    const remove = this.written.get(runId);
    this.written.delete(runId);
    remove?.();
  }
}
