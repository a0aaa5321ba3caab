// xen/hostInfo: the summary of a file's host that the status bar shows.
import { RequestType } from 'vscode-languageserver-protocol';

export interface HostInfoParams {
  /** A file of the host (the active editor's document). */
  uri: string;
}

export interface HostInfo {
  /** `80.68.86.192/29`, or null when no routed subnet is known. */
  subnet: string | null;
  /** Where the subnet was learnt, in words (or why there is none). */
  source: string;
  mode: 'routed' | 'bridged' | 'nat' | 'unknown';
  /** The guests' gateway address. */
  gateway: string | null;
  /** Free addresses of the subnet (0 when no subnet). */
  free: number;
}

/** null: the file belongs to no host, or the request failed (logged by the server). */
export const HostInfoRequest = new RequestType<HostInfoParams, HostInfo | null, void>('xen/hostInfo');
