// xen/hostView: the host as the address view and the network diagram show it: the routed subnet,
// every address of it in order with its role and the line that defines it, the interfaces, the
// guests with their vifs, and the host's problems placed on those entries.
import { RequestType, type Range } from 'vscode-languageserver-protocol';
import type { LiveSummary } from './live';

/**
 * `uri`: any file of the host (it need not exist); `root`: the folder holding the host's etc/ (a
 * uri or an absolute path). For a host of the `folder` layout ask with a uri (WorkspaceHost.uri).
 */
export type HostViewParams = { uri: string } | { root: string };

export interface ViewPlace {
  uri: string;
  range: Range;
}

export interface ViewProblem {
  code: string;
  message: string;
  severity: 'error' | 'warning' | 'information' | 'hint';
  uri: string;
  range: Range;
}

export type ViewRole = 'network' | 'gateway' | 'interface' | 'guest' | 'free' | 'broadcast' | 'outside';

export interface ViewAddress {
  address: string;
  role: ViewRole;
  /** What the view prints after the address: `gateway on dummy0`, `guest vm1 (etc/xen/vm1.cfg)`, `free`. */
  label: string;
  /** The line that defines it (none for an unused address). */
  place?: ViewPlace;
  /** The guest's name, for guest addresses. */
  guest?: string;
  problems: ViewProblem[];
}

export interface ViewInterface {
  name: string;
  method: string;
  address?: string;
  prefix?: number;
  gateway?: string;
  /** `uplink` (has a gateway, or is the first other static/dhcp stanza), `gateway` (holds the guests' gateway), `other`. */
  kind: 'uplink' | 'gateway' | 'other';
  place: ViewPlace;
  problems: ViewProblem[];
}

export interface ViewVif {
  index: number;
  ips: string[];
  mode: string;
  place: ViewPlace;
  problems: ViewProblem[];
}

export interface ViewGuest {
  name: string;
  /** The domain file, relative to the host root (`etc/xen/vm1.cfg`). */
  file: string;
  uri: string;
  place: ViewPlace;
  vifs: ViewVif[];
  /** Every host problem of the guest's file. */
  problems: ViewProblem[];
}

export interface HostView {
  /** The host's root (WorkspaceHost.root): the uri before `/etc/`, or the workspace folder of a `folder` host. */
  root: string;
  /** A short name for the host: the root folder's name. */
  name: string;
  subnet: string | null;
  /** Where the subnet was learnt, in words. */
  source: string;
  subnetPlace?: ViewPlace;
  mode: 'routed' | 'bridged' | 'nat' | 'unknown';
  toolstack: 'xend' | 'xl' | 'unknown';
  gateway: { address: string; interface: string; place: ViewPlace } | null;
  free: number;
  usable: number;
  addresses: ViewAddress[];
  /** Free addresses of the subnet not listed (a big subnet). */
  unlisted: number;
  interfaces: ViewInterface[];
  guests: ViewGuest[];
  /** Every host problem, file order. */
  problems: ViewProblem[];
  /** What the running host said when it was last checked (xen/live/check), until it is checked again. */
  live?: LiveSummary;
}

/** null: no params the server understands, or the request failed (logged by the server). */
export const HostViewRequest = new RequestType<HostViewParams, HostView | null, void>('xen/hostView');
