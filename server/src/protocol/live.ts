// xen/live/check: "Xen: Check Live Host". The server reads what the running host says of its
// network (without changing anything: server/src/live/script.ts), on this machine or over ssh for
// a host of xen.hosts, compares it with the host's files, and answers where they disagree. The
// findings are also published as diagnostics (codes live/…) on the lines concerned, and shown by
// xen/hostView (HostView.live), until the host is checked again.
import { RequestType } from 'vscode-languageserver-protocol';
import type { HostEntry } from './apply';
import type { ViewProblem } from './hostView';

export interface LiveCheckParams {
  /** A file of the host whose files are compared (WorkspaceHost.uri); or `root`. */
  uri?: string;
  /** The folder holding the host's files (a uri): for a xen.hosts entry, its folder resolved. */
  root?: string;
  /** The xen.hosts entry to read over ssh (its sudo: xl runs under `sudo -n`); absent: this machine is read. */
  host?: HostEntry;
  /** The entry's sshConfig resolved to a file uri (taken from user settings only, as for apply). */
  sshConfigUri?: string;
  /** The time the read may take, in ms (default 20 s, at most 120 s). */
  timeoutMs?: number;
}

export interface LiveSummary {
  /** When the host was read (ISO 8601). */
  at: string;
  /** Where it was read: this machine, or a host of xen.hosts over ssh. */
  where: 'local' | 'ssh';
  /** The xen.hosts name, or `this machine`. */
  hostName: string;
  destination?: string;
  /** Where the running host disagrees with its files, each on the line concerned. */
  findings: ViewProblem[];
  /** What was seen but has no line (a guest not running), and what could not be read (xl absent). */
  notes: string[];
}

export type LiveCheck = { ok: false; errors: string[] } | ({ ok: true; root: string; ms: number } & LiveSummary);

export const LiveCheckRequest = new RequestType<LiveCheckParams, LiveCheck, void>('xen/live/check');
