// xen/remote/importHost and xen/remote/compareHost: "Xen: Import Host…" and "Xen: Compare with Host". The server reads the live host's
// files over ssh (read-only, the host table's paths), writes them into a new local folder (import)
// or into a temporary one that it removes (compare), and answers what it wrote or what differs.
// The client asks the user (where, which folder), then sends one request.
import { RequestType } from 'vscode-languageserver-protocol';
import type { HostEntry } from './apply';

export interface RemoteImportParams {
  /**
   * Where to connect, as one entry of `xen.hosts` would say it: name, destination (user@host or an
   * ssh alias), port?, sudo?, identityFile? (absolute), sshConfig? is not taken here: give sshConfigUri.
   * The entry's `folder` is the target folder's path (the same as folderUri).
   */
  host: HostEntry;
  /** An ssh_config file to use instead of ~/.ssh/config (resolved to a file uri by the client). */
  sshConfigUri?: string;
  /** The new local folder (a file uri) that receives the host's files as an etc/ tree. */
  folderUri: string;
  /** Write into the folder although it holds something (the host's files replace theirs, nothing else changes). */
  replace?: boolean;
}

/** A file the host sent that was not written, and why. */
export interface RemoteSkipped {
  path: string;
  why: string;
}

export type RemoteImportResult =
  | {
      ok: true;
      hostName: string;
      /** The folder written (a file uri). */
      folderUri: string;
      /** The host paths written, e.g. /etc/network/interfaces (each at <folder>/etc/network/interfaces). */
      files: string[];
      skipped: RemoteSkipped[];
    }
  | {
      ok: false;
      /** not-empty: the folder holds something and replace was not asked; the client may ask the user and send again with replace. */
      reason: 'not-empty' | 'invalid' | 'ssh' | 'no-files' | 'write';
      errors: string[];
    };

export interface RemoteCompareParams {
  /** The `xen.hosts` entry of the folder (its destination, port, identityFile...). */
  host: HostEntry;
  sshConfigUri?: string;
  /** The entry's folder resolved to a file uri (the local host folder to compare). */
  folderUri: string;
}

export interface RemoteDifference {
  /** The path on the host. */
  path: string;
  /** changed: both hold it, not the same bytes; added: only the host holds it; missing: only the folder holds it. */
  state: 'changed' | 'added' | 'missing';
  /** The folder's file (changed, missing). */
  localUri?: string;
  /** The host's copy as text, read now (changed, added). */
  hostText?: string;
}

export type RemoteCompareResult =
  | {
      ok: true;
      hostName: string;
      destination: string;
      differences: RemoteDifference[];
      /** The host paths that are the same on both sides. */
      same: string[];
      skipped: RemoteSkipped[];
    }
  | { ok: false; errors: string[] };

export const RemoteImportRequest = new RequestType<RemoteImportParams, RemoteImportResult, void>('xen/remote/importHost');
export const RemoteCompareRequest = new RequestType<RemoteCompareParams, RemoteCompareResult, void>('xen/remote/compareHost');
