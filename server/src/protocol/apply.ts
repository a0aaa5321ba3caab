// xen/apply/*: "Apply to Host" and "Show Apply Script". The server says what ssh would run here
// (inspect), what would be sent and what the host has now (prepare), and writes the files the
// terminal runs (runFiles); the client asks which host, shows the diffs, asks for confirmation and
// opens the terminal. Every ssh connection but the terminal's run is the server's.
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';

/** One entry of the setting xen.hosts, as the user wrote it (the server checks it). */
export type HostEntry = Record<string, unknown>;

export interface ApplyInspectParams {
  host: HostEntry;
  /** The entry's sshConfig resolved to a file uri (a relative path is relative to the first workspace folder). */
  sshConfigUri?: string;
}

/** What ssh would do for the host: where it connects, what it reads, what it would run on this machine. */
export type ApplyInspection =
  | { ok: false; errors: string[] }
  | {
      ok: true;
      hostName: string;
      destination: string;
      /** The ssh_config file given (sshConfig), as a path. */
      configFile?: string;
      /** The ssh program (absolute path). */
      ssh: string;
      /** The ssh_config files read (in order), the user's first. */
      files: string[];
      /** `Match ... exec` lines found (file:line: text): ssh would run them just by reading its configuration. */
      matchExec: string[];
      /** Whether ssh -G was run (not when a Match exec line was found). */
      evaluated: boolean;
      /** From ssh -G: where it connects. */
      user?: string;
      hostname?: string;
      port?: string;
      /** From ssh -G: the commands it would run on this machine, as `Keyword value`. */
      commands: string[];
      /** Why ssh -G failed, when it did. */
      error?: string;
    };

export interface ApplyPrepareParams extends ApplyInspectParams {
  /** The entry's folder resolved to a file uri (the folder that mirrors the host). */
  folderUri: string;
  /** The editor's workspace folders (file uris): the host's folder must lie in one of them. */
  workspaceFolderUris: string[];
  /** Read the host's current files over ssh (without any prompt) for the diffs. */
  fetch: boolean;
}

export interface ApplyFile {
  /** The path on the host, such as /etc/network/interfaces. */
  path: string;
  /** The local file it comes from. */
  localUri: string;
  /** The text that will be written. */
  text: string;
  /** What the host has now, when it was read: its text, or why there is none. */
  remote?: { state: 'file'; text: string } | { state: 'missing' | 'unreadable' | 'not-a-file' | 'incomplete' | 'not-read' };
  /** Whether the host's copy differs (true when it was not read). */
  changes: boolean;
}

export type ApplyPreparation =
  | { ok: false; hostName?: string; errors: string[]; problems?: { uri: string; line: number; message: string }[] }
  | {
      ok: true;
      hostName: string;
      destination: string;
      files: ApplyFile[];
      /** The commands the script runs after writing, in words. */
      commands: string[];
      /** The apply script (the payload: it goes on ssh's standard input, never in an argument). */
      script: string;
      /**
       * The local sh script the terminal runs, with the script in a file "payload" beside it; the
       * server writes both when asked (xen/apply/runFiles with runId).
       */
      runner: string;
      /** The run's id (its folder on the host is /tmp/xen-apply-<id>; xen/apply/runFiles takes it). */
      runId: string;
      /** The confirm-or-revert window, in seconds (0: none). */
      confirmSeconds: number;
      /** The ssh program, an absolute path. */
      ssh: string;
      /** Set when the host's files were asked for and could not be read (the apply can still go ahead). */
      fetchProblem?: string;
      /** What each exit status of the run (the script, or ssh, sudo and sh around it) means. */
      exits: Record<string, string>;
      /** The statuses that mean the host ended as asked (applied, or nothing to change). */
      successes: number[];
      /**
       * Set for Apply Here (xen/apply/prepareHere): the run is on this machine, no ssh; sudo: the
       * script runs with sudo (this machine's user is not root); confirmWord: what the person types
       * in the terminal to keep the change within the window.
       */
      local?: { sudo: boolean; confirmWord: string };
    };

export interface ApplyRunFilesParams {
  /** The runId of a preparation this server answered (ok: true). */
  runId: string;
}

/**
 * The runner and the payload written into a new private folder (0700, files 0600) of this
 * machine; argv is the terminal's command line, `/bin/sh <folder>/run.sh`: nothing of the files is
 * in an argument. The runner removes its folder when it ends. A run's files are written once.
 */
export type ApplyRunFiles = { ok: true; argv: string[] } | { ok: false; errors: string[] };

export interface ApplyDiscardRunParams {
  runId: string;
}

export const ApplyInspectRequest = new RequestType<ApplyInspectParams, ApplyInspection, void>('xen/apply/inspect');
export const ApplyPrepareRequest = new RequestType<ApplyPrepareParams, ApplyPreparation, void>('xen/apply/prepare');
export const ApplyRunFilesRequest = new RequestType<ApplyRunFilesParams, ApplyRunFiles, void>('xen/apply/runFiles');
/** The terminal could not start: the server removes the run's files (a started runner removes its own). */
export const ApplyDiscardRunNotification = new NotificationType<ApplyDiscardRunParams>('xen/apply/discardRun');

export interface ApplyHereParams {
  /** The workspace folder that is this machine's `/`, `/etc` or a folder inside `/etc` (xen/hosts: live). */
  folderUri: string;
  /** The editor's workspace folders (file uris): folderUri must be one of them. */
  workspaceFolderUris: string[];
  /** The confirm-or-revert window in seconds (0 to 3600; default 60). */
  confirmSeconds?: number;
}

/**
 * "Xen: Apply Here": what the apply script would write on this machine (each file's text as the
 * editor holds it, unsaved edits included, against what the disk has now) and the local runner
 * (ApplyPreparation.runner: no ssh; `sh`, or `sudo sh` when not root; the confirmation typed in the
 * terminal). Run it as any prepared apply: xen/apply/runFiles { runId }.
 */
export const ApplyHerePrepareRequest = new RequestType<ApplyHereParams, ApplyPreparation, void>('xen/apply/prepareHere');
