// Calling the real parsers (../shared/oracles) from tests: shared by the agreement tests.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { oraclesDir } from './paths';

export type Verdict = 'accepts' | 'rejects';

/**
 * Augeas' verdict on each file, with one aug-parse.sh call for all of them. `files` maps the path
 * on disk to the name the caller knows the case by; the result is keyed by that name.
 */
export function augeasVerdicts(lens: 'Interfaces' | 'Xendconfsxp', files: Map<string, string>): Map<string, Verdict> {
  const paths = [...files.keys()];
  const r = spawnSync('sh', [join(oraclesDir, 'aug-parse.sh'), lens, ...paths], {
    encoding: 'utf8',
    env: { ...process.env, QUIET: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const failed = new Set<string>();
  for (const m of (r.stdout ?? '').matchAll(/^\/augeas\/files(\/.*?)\/error = /gm)) failed.add(m[1]);
  const out = new Map<string, Verdict>();
  for (const p of paths) out.set(files.get(p)!, failed.has(p) ? 'rejects' : 'accepts');
  return out;
}
