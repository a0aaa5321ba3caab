// Reading a host's files without leaving the host: a path is taken only when its real path (every
// symbolic link resolved) lies inside the host's real path, and only a plain file is read. The
// host's files come from a repository, so a link in them (`interfaces -> /proc/self/environ`, a
// private key linked as a sysctl file) must not carry the reader out of it.
import { lstatSync, opendirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { sep } from 'node:path';

/** The real path of p, or undefined when it does not resolve (missing, a dangling or looping link, unreadable). */
export function realPathOf(p: string): string | undefined {
  try {
    return realpathSync.native(p);
  } catch {
    return undefined;
  }
}

/** Whether the real path `real` is rootReal or lies below it (both real paths). */
export function insideReal(rootReal: string, real: string): boolean {
  if (real === rootReal) return true;
  const prefix = rootReal.endsWith(sep) ? rootReal : rootReal + sep;
  return real.startsWith(prefix);
}

/** Kernel file systems that hold a machine's live state (a process's environment, its memory), never a host's files. */
export function isKernelPath(real: string): boolean {
  for (const top of ['/proc', '/sys', '/dev']) if (real === top || real.startsWith(top + '/')) return true;
  return false;
}

export interface ConfinedFile {
  /** The file's real path. */
  real: string;
  size: number;
  mtimeMs: number;
}

/**
 * The plain file at path when its real path lies inside rootReal (and on no kernel file system);
 * undefined for a missing file, a folder, a device or fifo, a link that leaves the root, or a file
 * over maxSize bytes.
 */
export function confinedFile(rootReal: string, path: string, maxSize: number): ConfinedFile | undefined {
  try {
    const l = lstatSync(path);
    if (!l.isFile() && !l.isSymbolicLink()) return undefined;
    const real = realPathOf(path);
    if (real === undefined || !insideReal(rootReal, real) || isKernelPath(real)) return undefined;
    const st = l.isSymbolicLink() ? statSync(real) : l;
    if (!st.isFile() || st.size > maxSize) return undefined;
    return { real, size: st.size, mtimeMs: st.mtimeMs };
  } catch {
    return undefined;
  }
}

/** The text of the file at path when confinedFile accepts it (checked again at the time of reading); undefined otherwise. */
export function readConfined(rootReal: string, path: string, maxSize: number): string | undefined {
  const f = confinedFile(rootReal, path, maxSize);
  if (!f) return undefined;
  try {
    const text = readFileSync(f.real, 'utf8');
    return text.length > maxSize ? undefined : text;
  } catch {
    return undefined;
  }
}

/** Whether path is a folder itself (not a symbolic link to one) whose real path lies inside rootReal. */
export function confinedDir(rootReal: string, path: string): boolean {
  try {
    if (!lstatSync(path).isDirectory()) return false;
    const real = realpathSync.native(path);
    return insideReal(rootReal, real) && !isKernelPath(real);
  } catch {
    return false;
  }
}

/**
 * The names in folder dir, at most max of them (read one by one, so a folder of a million entries
 * costs max entries, not a million), sorted; truncated tells whether there were more. An
 * unreadable or missing folder has none.
 */
export function boundedNames(dir: string, max: number): { names: string[]; truncated: boolean } {
  const names: string[] = [];
  let truncated = false;
  let d;
  try {
    d = opendirSync(dir);
  } catch {
    return { names, truncated };
  }
  try {
    for (let e = d.readSync(); e !== null; e = d.readSync()) {
      if (names.length >= max) {
        truncated = true;
        break;
      }
      names.push(e.name);
    }
  } catch {
    /* unreadable part way: what was read */
  } finally {
    try {
      d.closeSync();
    } catch {
      /* already closed */
    }
  }
  return { names: names.sort(), truncated };
}
