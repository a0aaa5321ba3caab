// xen/generate/*: "New Routed Network Setup", "Switch Network Mode" and "Add Guest". The client
// asks the questions; the server checks each answer as it is typed (validate), gives the defaults
// of the prompts (hostState) and computes the edit (routedSetup, switchMode, addGuest), answered
// as a WorkspaceEdit that the client shows in a diff and applies once the user confirms.
//
// `root` is the host root: the folder holding (or about to hold) etc/, as a uri or an absolute
// path. A refusal (a bad answer, no root, an internal error) is a GenerateRefusal in place of the
// result; these requests never answer with a JSON-RPC error.
import { RequestType, type WorkspaceEdit } from 'vscode-languageserver-protocol';
import type { NetworkMode, Toolstack } from './common';

/** A refusal: why, and the answer at fault when one is. */
export interface GenerateRefusal {
  error: string;
  field?: string;
}

/** The answers of "New Routed Network Setup". */
export interface RoutedSetupAnswers {
  /** The routed block, `80.68.86.192/29`. */
  cidr: string;
  /** The interface holding the guests' gateway; default `dummy0`. */
  gatewayInterface?: string;
  /** The gateway's address; default the block's first usable address. */
  gatewayAddress?: string;
  toolstack: Toolstack;
  /** Guest names; each gets a domain file etc/xen/NAME.cfg (or its existing one) and an address. */
  guests: string[];
}

/** The fields validate checks. `guest` is Add Guest's name; `guests` the setup's list. */
export type GenerateField = 'cidr' | 'gatewayInterface' | 'gatewayAddress' | 'toolstack' | 'guests' | 'guest';

export interface GenerateValidateParams {
  field: GenerateField;
  value: string;
  /**
   * The other answers so far: the gateway address is checked against answers.cidr, the guests
   * against the addresses the block has left. With root (and answers.cidr) also against the
   * host's files: its other guests and interfaces keep their addresses.
   */
  answers?: Partial<RoutedSetupAnswers>;
  root?: string;
}

/** No message: the value is fine. */
export interface GenerateValidateResult {
  message?: string;
}

export interface RoutedSetupParams {
  root: string;
  answers: RoutedSetupAnswers;
}

export interface SwitchModeParams {
  root: string;
  mode: NetworkMode;
  /** Default: xend when etc/xen/xend-config.sxp exists, else xl when etc/xen/xl.conf does. */
  toolstack?: Toolstack;
}

export interface AddGuestParams {
  root: string;
  name: string;
  /** Default: the block's first free address. */
  address?: string;
  toolstack?: Toolstack;
}

export interface HostStateParams {
  root: string;
}

/**
 * An edit of the host's files. edit.documentChanges: for an existing file one TextDocumentEdit
 * (version: the open document's, else null) replacing the changed part; for a new file a
 * CreateFile (fails if the file appeared meanwhile) then a TextDocumentEdit inserting its text.
 * Empty documentChanges when nothing needs to change.
 */
export interface GenerateResponse {
  edit: WorkspaceEdit;
  /** What the edit does, in sentences. */
  summary: string[];
  /** The uris written, in order. */
  files: string[];
  /** The address each guest got. */
  addresses?: Record<string, string>;
}

/** The host as the prompts' defaults see it. */
export interface HostState {
  /** The host root as a uri. */
  root: string;
  toolstack: Toolstack | null;
  mode: NetworkMode | 'unknown';
  /** The routed block, `80.68.86.192/29`, or null. */
  cidr: string | null;
  gatewayAddress: string | null;
  gatewayInterface: string | null;
  /** The interface a new gateway goes on when the host has none (the server's default, `dummy0`). */
  defaultGatewayInterface: string;
  guests: string[];
  /** The first free addresses of the block (at most 256) and how many there are. */
  freeAddresses: string[];
  freeCount: number;
}

export const GenerateValidateRequest = new RequestType<GenerateValidateParams, GenerateValidateResult | GenerateRefusal, void>('xen/generate/validate');
export const RoutedSetupRequest = new RequestType<RoutedSetupParams, GenerateResponse | GenerateRefusal, void>('xen/generate/routedSetup');
export const SwitchModeRequest = new RequestType<SwitchModeParams, GenerateResponse | GenerateRefusal, void>('xen/generate/switchMode');
export const AddGuestRequest = new RequestType<AddGuestParams, GenerateResponse | GenerateRefusal, void>('xen/generate/addGuest');
export const HostStateRequest = new RequestType<HostStateParams, HostState | GenerateRefusal, void>('xen/generate/hostState');
