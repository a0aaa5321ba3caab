// scripts/setup.sh, the set-up that `npm test` and `npm run editor` start with, run as a person
// without root would: on a machine where a Debian package is missing it installs nothing, prints
// the one command that installs what is missing, and fails; with everything present it says so
// step by step and succeeds. (The fresh-machine install itself is what every CI run does.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../support/paths';
import { requirement } from '../support/requirements';

const asRoot = requirement(process.getuid?.() === 0 ? null : 'needs root (to run the set-up as another user)', 'SKIP_ROOT');

/** A dpkg-query that answers "not installed" for the named packages and asks the real one for the others. */
function fakeDpkgQuery(missing: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'xen-setup-'));
  chmodSync(dir, 0o755);
  const script = `#!/bin/sh
for a in "$@"; do
  case " ${missing.join(' ')} " in *" $a "*) echo "dpkg-query: no packages found matching $a" >&2; exit 1 ;; esac
done
exec /usr/bin/dpkg-query "$@"
`;
  writeFileSync(join(dir, 'dpkg-query'), script, { mode: 0o755 });
  return dir;
}

function setup(what: 'all' | 'editor', pathFirst: string, as?: { uid: number; gid: number }): { status: number | null; out: string } {
  const r = spawnSync('bash', ['scripts/setup.sh', what], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 120_000,
    // (SKIP_E2E: the editor's own install is the end-to-end tests' business)
    env: { ...process.env, PATH: `${pathFirst}:${process.env.PATH}`, HOME: tmpdir(), SKIP_E2E: '1' },
    ...as,
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

test('without root and with packages missing: nothing installed, the one command to run printed, exit 1', { skip: asRoot.skip }, () => {
  asRoot.check();
  const fake = fakeDpkgQuery(['libkrb5-dev', 'pkg-config']);
  try {
    const r = setup('editor', fake, { uid: 65534, gid: 65534 });
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /missing libkrb5-dev: /);
    assert.match(r.out, /not root: cannot install 2 Debian packages/);
    assert.match(r.out, /^ {4}sudo apt-get update && sudo apt-get install -y --no-install-recommends pkg-config libkrb5-dev$/m);
    assert.doesNotMatch(r.out, /npm packages:|oracles:|installing code-server/, 'it stops before the other steps');
  } finally {
    rmSync(fake, { recursive: true, force: true });
  }
});

test('with everything in place: one line per step, nothing installed, exit 0', () => {
  const r = setup('all', '/nonexistent');
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /^setup: Debian packages: all \d+ present$/m);
  assert.match(r.out, /^setup: npm packages: up to date$/m);
  assert.match(r.out, /^setup: oracles: /m);
  assert.match(r.out, /^setup: editor: not installed \(SKIP_E2E=1\)$/m);
});
