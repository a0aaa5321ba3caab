// xen/hosts: where the hosts of the workspace are, and which files the client should watch for
// the server. The client asks instead of globbing for itself: what makes a host is the server's.
import { RequestType } from 'vscode-languageserver-protocol';

/** One host of the workspace. */
export interface WorkspaceHost {
  /**
   * The host's root as a uri: the folder holding its etc/ tree (`etc-tree`), or the workspace
   * folder that holds its files itself (`folder`: the folder is the host's /etc, or its files lie
   * side by side). The same string as HostView.root.
   */
  root: string;
  layout: 'etc-tree' | 'folder';
  /** A short name: the root folder's name. */
  name: string;
  /** A uri of the host, to ask xen/hostView { uri } and xen/hostInfo { uri } with (the file need not exist). */
  uri: string;
  /** The workspace folder (its uri, as the server knows it) the host was found in. */
  folder: string;
  /**
   * Set when the host is this machine itself: the workspace folder is `/`, `/etc` or a folder
   * inside `/etc` (VS Code over Remote-SSH on dom0). Its root is `file://` and its name the
   * machine's host name ("dom0 (this host)"); Xen: Apply Here applies to it.
   */
  live?: true;
}

/** No params: the workspace folders are the ones the server was told of (initialize, workspace/didChangeWorkspaceFolders). */
export type HostsParams = Record<string, never>;

export interface HostsResult {
  /** The hosts, sorted by root. */
  hosts: WorkspaceHost[];
  /**
   * Glob patterns of the files whose creation, change or deletion can change a host (for
   * vscode.workspace.createFileSystemWatcher): the client watches them and sends the events to
   * the server as workspace/didChangeWatchedFiles.
   */
  watch: string[];
  /** False when the search stopped at its bounds (time, folders looked at): hosts may be missing. */
  complete: boolean;
}

export const HostsRequest = new RequestType<HostsParams, HostsResult, void>('xen/hosts');
