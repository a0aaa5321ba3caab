// Runs node's built-in test runner over every bundled *.test.js below the given folders.
// Node 20's runner takes files, not globs, so the list is gathered here.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function collect(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) collect(p, out);
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}
const files = process.argv.slice(2).flatMap((d) => collect(d, []));
if (files.length === 0) {
  console.error('no test files found in', process.argv.slice(2).join(' '));
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--enable-source-maps', '--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
