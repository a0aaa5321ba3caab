// Where the tests find the project and the shared test data (../shared beside the checkout).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

function findRepoRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'server'))) return dir;
    dir = resolve(dir, '..');
  }
  return process.cwd();
}

export const repoRoot = findRepoRoot();
export const sharedDir = process.env.XEN_SHARED_DIR ?? resolve(repoRoot, '..', 'shared');
export const corpusDir = join(sharedDir, 'corpus');
export const oraclesDir = join(sharedDir, 'oracles');
export const oraclesBin = process.env.ORACLES_BIN ?? join(process.env.TMPDIR ?? '/tmp', 'xen-oracles');

/** Every regular file below dir, recursively, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

/** True when ../shared/oracles/setup.sh has been run on this machine. */
export function oraclesInstalled(): boolean {
  return existsSync(join(oraclesBin, 'xlu-check')) && existsSync('/usr/bin/augtool') && existsSync('/sbin/ifquery');
}
