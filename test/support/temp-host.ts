// A host's files written under a new temporary folder, for the tests that need them on disk
// (the server reads a host's other files from there). removeTempHosts() deletes every one made.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const made: string[] = [];

/** Writes each relative path's text under a new folder; returns the folder and the file: uri of a relative path. */
export function writeTempHost(files: Record<string, string>, prefix = 'xen-host-'): { root: string; uri: (rel: string) => string } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  made.push(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return { root, uri: (rel) => pathToFileURL(join(root, rel)).href };
}

/** Removes every folder writeTempHost made. */
export function removeTempHosts(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}
