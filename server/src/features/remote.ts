// A live host over ssh, read-only: "Xen: Import Host…" (xen/remote/importHost: the host's files into a
// new local folder), "Xen: Compare with Host" (xen/remote/compareHost: what differs between a host
// folder and the host now) and `xen-net-check --ssh` (checkLiveHost: the same fetch into a
// temporary folder, checked, named by the host's paths, removed). The fetch, the sorting of what the
// host sent and the writing are apply/mirror.ts's; this file checks the params and words the answers.
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { fileUriToPath, pathToUri } from '../core/uri';
import { languageOf } from '../formats/index';
import type { LanguageId } from '../core/language';
import type { HostIndex } from '../host/index';
import { compareWithHost, fetchHost, removeTemporary, temporaryParent, writeMirror, type MirrorSkip } from '../apply/mirror';
import { identityOptions, targetOf, type SshTarget } from '../apply/ssh';
import { validateHostEntry, type HostEntry } from '../apply/hosts';
import type { RemoteCompareParams, RemoteCompareResult, RemoteImportParams, RemoteImportResult, Unchecked } from '../protocol';

/** How long one fetch may take (connecting, then a few hundred small files). */
export const REMOTE_FETCH_TIMEOUT_MS = 120_000;

function folderPath(uri: unknown): string | undefined {
  if (typeof uri !== 'string' || uri === '') return undefined;
  const p = fileUriToPath(uri.replace(/\/+$/, '') + '/');
  return p === undefined ? undefined : p.replace(/\/+$/, '') || '/';
}

function targetFor(host: HostEntry, sshConfigUri: unknown): SshTarget {
  const configFile = typeof sshConfigUri === 'string' ? fileUriToPath(sshConfigUri) : undefined;
  return targetOf(configFile ? { ...host, sshConfig: configFile } : { ...host, sshConfig: undefined });
}

/** Request xen/remote/importHost: the live host's files into a new folder (an etc/ tree). */
export async function importHost(params: Unchecked<RemoteImportParams> | undefined): Promise<RemoteImportResult> {
  const folder = folderPath(params?.folderUri);
  if (!folder) return { ok: false, reason: 'invalid', errors: [`the folder to import into is not a local folder: ${String(params?.folderUri)}`] };
  const raw = params?.host && typeof params.host === 'object' ? (params.host as Record<string, unknown>) : {};
  const entry = validateHostEntry({ ...raw, folder });
  if (!entry.ok) return { ok: false, reason: 'invalid', errors: entry.errors };
  const host = entry.host;
  if (host.identityFile !== undefined && !isAbsolute(host.identityFile))
    return { ok: false, reason: 'invalid', errors: [`"identityFile" must be an absolute path here: ${host.identityFile}`] };
  const fetched = await fetchHost(targetFor(host, params?.sshConfigUri), { sudo: host.sudo, label: host.name, timeoutMs: REMOTE_FETCH_TIMEOUT_MS });
  if (!fetched.ok) return { ok: false, reason: 'ssh', errors: [fetched.error] };
  if (!fetched.files.length) {
    return {
      ok: false,
      reason: 'no-files',
      errors: [
        `${host.name} holds none of the files the extension reads (/etc/network/interfaces, /etc/modules, /etc/xen/...)${fetched.skipped.length ? `: ${fetched.skipped.map((s) => `${s.path}: ${s.why}`).join('; ')}` : ''}`,
      ],
    };
  }
  const w = writeMirror(folder, fetched.files, { replace: params?.replace === true });
  if (!w.ok) return { ok: false, reason: w.reason === 'not-empty' ? 'not-empty' : 'write', errors: [w.error] };
  return { ok: true, hostName: host.name, folderUri: pathToUri(w.folder), files: w.written, skipped: [...fetched.skipped, ...w.skipped] };
}

/** Request xen/remote/compareHost: the folder's files against the host's now (fetched into a temporary folder, removed before answering). */
export async function compareHost(params: Unchecked<RemoteCompareParams> | undefined, index: HostIndex): Promise<RemoteCompareResult> {
  const entry = validateHostEntry(params?.host);
  if (!entry.ok) return { ok: false, errors: entry.errors };
  const host = entry.host;
  const folderUri = typeof params?.folderUri === 'string' ? params.folderUri.replace(/\/+$/, '') : '';
  const folder = folderPath(folderUri);
  if (!folder) return { ok: false, errors: [`the folder of ${host.name} is not a local folder: ${String(params?.folderUri)}`] };
  const layout = index.placeOfFolder(pathToUri(folder)).layout;
  const r = await compareWithHost(targetFor(host, params?.sshConfigUri), folder, layout, {
    sudo: host.sudo,
    label: host.name,
    timeoutMs: REMOTE_FETCH_TIMEOUT_MS,
  });
  if (!r.ok) return { ok: false, errors: [r.error] };
  try {
    return {
      ok: true,
      hostName: host.name,
      destination: host.destination,
      differences: r.differences.map((d) => ({
        path: d.path,
        state: d.state,
        ...(d.localPath ? { localUri: pathToUri(d.localPath) } : {}),
        ...(d.hostCopy ? { hostText: readFileSync(d.hostCopy).toString('utf8') } : {}),
      })),
      same: r.same,
      skipped: r.skipped,
    };
  } finally {
    removeTemporary(r.hostFolder);
  }
}

/** Where `xen-net-check --ssh` connects. */
export interface LiveHostOptions {
  destination: string;
  port?: number;
  /** A private key (ssh -i). */
  identity?: string;
  /** An ssh_config file (ssh -F). */
  sshConfig?: string;
}

/** Why the --ssh options cannot be used, or undefined. */
export function liveHostProblem(o: LiveHostOptions): string | undefined {
  const r = validateHostEntry({ name: o.destination, destination: o.destination, folder: '.', ...(o.port !== undefined ? { port: o.port } : {}) });
  return r.ok ? undefined : r.errors.join('; ');
}

/**
 * `xen-net-check --ssh`: the host's files fetched (read-only) into a new temporary folder, given to
 * check (the CLI's own check of a folder), the findings' file names turned back into the host's
 * paths (shown: how the CLI names a local file), and the folder removed. Never throws.
 */
export async function checkLiveHost<F extends { file: string }>(
  o: LiveHostOptions,
  check: (targets: { path: string; languageId: LanguageId }[], folder: string) => { findings: F[]; files: number } | Promise<{ findings: F[]; files: number }>,
  shown: (abs: string) => string,
): Promise<{ ok: true; findings: F[]; files: number; skipped: MirrorSkip[] } | { ok: false; error: string }> {
  const problem = liveHostProblem(o);
  if (problem) return { ok: false, error: problem };
  const target: SshTarget = { destination: o.destination };
  if (o.port !== undefined) target.port = o.port;
  if (o.sshConfig !== undefined) target.configFile = o.sshConfig;
  if (o.identity !== undefined) target.options = identityOptions(o.identity);
  const fetched = await fetchHost(target, { timeoutMs: REMOTE_FETCH_TIMEOUT_MS });
  if (!fetched.ok) return fetched;
  let parent: string | undefined;
  try {
    parent = temporaryParent();
    const folder = join(parent, 'host');
    const w = writeMirror(folder, fetched.files);
    if (!w.ok) return { ok: false, error: w.error };
    const names = new Map<string, string>();
    const targets: { path: string; languageId: LanguageId }[] = [];
    for (const hostPath of w.written) {
      const abs = join(folder, ...hostPath.split('/').filter(Boolean));
      names.set(shown(abs), hostPath);
      const languageId = languageOf(abs);
      if (languageId) targets.push({ path: abs, languageId });
    }
    const r = await check(targets, folder);
    const findings = r.findings.map((f) => ({ ...f, file: names.get(f.file) ?? f.file }));
    findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    return { ok: true, findings, files: r.files, skipped: [...fetched.skipped, ...w.skipped] };
  } catch (e) {
    return { ok: false, error: `the host's files could not be checked: ${e instanceof Error ? e.message : String(e)}` };
  } finally {
    if (parent) removeTemporary(parent);
  }
}
