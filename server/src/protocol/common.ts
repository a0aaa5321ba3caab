// What the requests' shapes share.

/**
 * Params as the server receives them, before its handler has checked them: every field may be
 * missing or of any type (the server answers junk with its documented refusal, never a throw).
 * The shape itself is the protocol's; this only says that nothing of it is trusted yet.
 */
export type Unchecked<T> = { [K in KeysOf<T>]?: unknown };

/** The keys of every member of a union (keyof of a union gives only the shared ones). */
type KeysOf<T> = T extends unknown ? keyof T : never;

/** The toolstack a host runs: xend with xm (Xen 4.4 and older) or xl. */
export type Toolstack = 'xend' | 'xl';

/** A host's network mode, as xend's or xl's configuration sets it. */
export type NetworkMode = 'routed' | 'bridged' | 'nat';
