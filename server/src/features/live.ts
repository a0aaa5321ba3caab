// xen/live/check (server/src/protocol/live.ts): reads the running host (live/read.ts), keeps what
// it said per host until the host is checked again, and compares it with the host's files each
// time they are checked, so that the live/* diagnostics follow the files' edits (a line moved, a
// fix typed) without reading the host again.
import type { Diagnostic } from 'vscode-languageserver-types';
import { makeDiagnostic } from '../core/diagnostics';
import { fileUriToPath } from '../core/uri';
import { targetOf, validateHostEntry } from '../apply/index';
import { compareLive, readLive, type LiveState, type LiveWhere } from '../live/index';
import type { HostCheck } from '../host/index';
import type { LiveCheck, LiveCheckParams, LiveSummary, Unchecked, ViewProblem } from '../protocol';

const SEVERITY: Record<number, ViewProblem['severity']> = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };

/** What one read of a running host said, and where it was read. */
export interface LiveEntry {
  state: LiveState;
  at: string;
  where: 'local' | 'ssh';
  hostName: string;
  destination?: string;
}

/** The most hosts whose live state is kept (the oldest goes first). */
export const MAX_LIVE_HOSTS = 64;

/** What the running hosts said, per host key (HostCheck.root), until each is checked again. */
export class LiveStates {
  private readonly byRoot = new Map<string, LiveEntry>();
  /** Per check of the host's files and live entry: the findings as diagnostics per file (computed once). */
  private readonly computed = new WeakMap<HostCheck, { entry: LiveEntry; byUri: Map<string, Diagnostic[]>; summary: LiveSummary }>();

  set(root: string, entry: LiveEntry): void {
    this.byRoot.delete(root);
    this.byRoot.set(root, entry);
    for (const k of this.byRoot.keys()) {
      if (this.byRoot.size <= MAX_LIVE_HOSTS) break;
      this.byRoot.delete(k);
    }
  }

  get(root: string): LiveEntry | undefined {
    return this.byRoot.get(root);
  }

  /** The live findings of a host's files as they are now (undefined: the host was never read). */
  of(check: HostCheck): { byUri: Map<string, Diagnostic[]>; summary: LiveSummary } | undefined {
    const entry = this.byRoot.get(check.root);
    if (!entry) return undefined;
    const hit = this.computed.get(check);
    if (hit && hit.entry === entry) return hit;
    const { findings, notes } = compareLive(check.model, entry.state);
    const byUri = new Map<string, Diagnostic[]>();
    const problems: ViewProblem[] = [];
    for (const f of findings) {
      const file = check.model.files.get(f.uri);
      if (!file) continue;
      const d = makeDiagnostic(file.lines, { span: f.span, severity: f.severity, code: f.code, message: f.message });
      let list = byUri.get(f.uri);
      if (!list) byUri.set(f.uri, (list = []));
      list.push(d);
      problems.push({ code: f.code, message: f.message, severity: SEVERITY[f.severity] ?? 'error', uri: f.uri, range: d.range });
    }
    const summary: LiveSummary = { at: entry.at, where: entry.where, hostName: entry.hostName, findings: problems, notes };
    if (entry.destination !== undefined) summary.destination = entry.destination;
    const out = { entry, byUri, summary };
    this.computed.set(check, out);
    return out;
  }

  /** Per host: the files that are not open whose live diagnostics were sent (to clear them when they go). */
  private readonly sentClosed = new Map<string, Set<string>>();

  /**
   * The live diagnostics of the host's files that are not open (a sysctl file, which has no
   * language in the editor, a domain file not opened): the editor shows them in its Problems all
   * the same. Those sent before and gone now are cleared (an empty list). Open files get theirs
   * with their own diagnostics (the publisher).
   */
  closedFiles(check: HostCheck, isOpen: (uri: string) => boolean): { uri: string; diagnostics: Diagnostic[] }[] {
    const live = this.of(check);
    const before = this.sentClosed.get(check.root) ?? new Set<string>();
    const now = new Set<string>();
    const out: { uri: string; diagnostics: Diagnostic[] }[] = [];
    for (const [uri, diagnostics] of live?.byUri ?? []) {
      if (isOpen(uri)) continue;
      now.add(uri);
      out.push({ uri, diagnostics });
    }
    for (const uri of before) if (!now.has(uri) && !isOpen(uri)) out.push({ uri, diagnostics: [] });
    this.sentClosed.set(check.root, now);
    return out;
  }

  /** The live diagnostics of one file of the host. */
  diagnosticsOf(uri: string, check: HostCheck): Diagnostic[] {
    return this.of(check)?.byUri.get(uri) ?? [];
  }
}

/** Where to read, from the request's params: a xen.hosts entry over ssh, or this machine. */
export function liveWhereOf(
  params: Unchecked<LiveCheckParams> | undefined,
): { where: LiveWhere; hostName: string; destination?: string } | { errors: string[] } {
  if (params?.host === undefined || params.host === null) return { where: { kind: 'local' }, hostName: 'this machine' };
  const entry = validateHostEntry(params.host);
  if (!entry.ok) return { errors: entry.errors };
  const host = entry.host;
  const configFile = typeof params.sshConfigUri === 'string' ? fileUriToPath(params.sshConfigUri) : undefined;
  const target = targetOf(configFile ? { ...host, sshConfig: configFile } : { ...host, sshConfig: undefined }, { options: ['-o', 'ConnectTimeout=10'] });
  return { where: { kind: 'ssh', target, sudo: host.sudo }, hostName: host.name, destination: host.destination };
}

/**
 * Reads the running host and keeps what it said for the host of `check`; the answer is the
 * comparison with the files as they are now. `check` is asked for after the read (the files may
 * have changed meanwhile).
 */
export async function checkLive(
  params: Unchecked<LiveCheckParams> | undefined,
  states: LiveStates,
  checkOf: () => HostCheck | undefined,
  signal?: AbortSignal,
): Promise<LiveCheck> {
  const where = liveWhereOf(params);
  if ('errors' in where) return { ok: false, errors: where.errors };
  const first = checkOf();
  if (!first || first.model.files.size === 0)
    return { ok: false, errors: ["no host's files there to compare the running host with (etc/network/interfaces, etc/xen/...)"] };
  const timeoutMs = typeof params?.timeoutMs === 'number' && Number.isFinite(params.timeoutMs) ? params.timeoutMs : undefined;
  const read = await readLive(where.where, { timeoutMs, signal });
  if (!read.ok) return { ok: false, errors: [read.error] };
  const entry: LiveEntry = { state: read.state, at: new Date().toISOString(), where: where.where.kind, hostName: where.hostName };
  if (where.destination !== undefined) entry.destination = where.destination;
  const check = checkOf() ?? first;
  states.set(check.root, entry);
  const live = states.of(check)!;
  return { ok: true, root: check.root.startsWith('folder:') ? check.root.slice('folder:'.length) : check.root, ms: read.ms, ...live.summary };
}
