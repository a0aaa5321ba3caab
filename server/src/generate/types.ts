// What the "generate" commands take and give back. Paths are relative to the host root (the
// folder holding etc/), always with forward slashes: `etc/network/interfaces`.
import type { ToolstackChoice } from '../formats/domain/edit';
import { generatedPath } from '../host/table';

/** The host's current files: relative path -> text, or undefined when the file does not exist. */
export type HostTexts = Record<string, string | undefined>;

export type { ToolstackChoice };
export type NetworkMode = 'routed' | 'bridged' | 'nat';

/** The answers of "Xen: New Routed Network Setup…". */
export interface RoutedAnswers {
  /** The routed block, `80.68.86.192/29`. */
  cidr: string;
  /** The interface holding the guests' gateway; default `dummy0`. */
  gatewayInterface?: string;
  /** The gateway's address; default the block's first usable address. */
  gatewayAddress?: string;
  /** xend+xm or xl. */
  toolstack: ToolstackChoice;
  /** Guest names; each gets a domain file etc/xen/NAME.cfg (or its existing one) and an address. */
  guests: string[];
}

/** One file the command writes: oldText undefined when the file is new. Only files that change are listed. */
export interface FileChange {
  path: string;
  oldText?: string;
  newText: string;
}

export interface GenerateResult {
  changes: FileChange[];
  /** Plain-words lines: what was done (and what the user still has to do). */
  summary: string[];
  /** Each guest's address (routedSetup, addGuest). */
  addresses?: Record<string, string>;
}

/** A refusal: the answers cannot be turned into files; `message` says why in plain words. */
export interface GenerateError {
  error: string;
  field?: string;
}

export const PATHS = {
  interfaces: generatedPath('interfaces'),
  modules: generatedPath('modules'),
  xend: generatedPath('xend-config'),
  xl: generatedPath('xl-conf'),
  /** IP forwarding for a routed host under xl (xend's network-route turned it on). */
  sysctl: generatedPath('sysctl', 'xen-routed'),
  domain: (name: string) => generatedPath('domain', name),
} as const;
