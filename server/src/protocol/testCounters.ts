// xen/test/counters: for tests only. The server answers it only when started with
// XEN_LS_TEST_COUNTERS=1 (the LSP tests, the bench's host row, scripts/e2e.sh's trusted run), and
// the client offers it to the end-to-end tests only then and in a trusted workspace.
import { RequestType } from 'vscode-languageserver-protocol';

export interface TestCountersParams {
  /** A file whose publishes to report (parsesAtPublish, slicesAtWrite). */
  uri?: string;
}

export interface TestCounters {
  /** Texts the server has parsed. */
  parses: number;
  /** Passes of the host check. */
  hostPasses: number;
  /** Host files read ahead of being opened. */
  hostFilesReadAhead: number;
  /** The parses counted at each publish of `uri` (the last 8). */
  parsesAtPublish?: number[];
  /** Slices of the host reads in slices run so far. */
  hostReadSlices: number;
  /** The host-read slices run by the time each publish of `uri` was written (the last 8). */
  slicesAtWrite?: number[];
}

export const TestCountersRequest = new RequestType<TestCountersParams | undefined, TestCounters, void>('xen/test/counters');
