// The CLI loads chevrotain (dist/cli-chevrotain.js) only when a domain file holds a statement that
// the parser's fast path leaves to the grammar: a file of plain settings (the bench's 300,000
// assignments) is read without it. Told by Node's module cache at exit, not by a timing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../support/paths';
import { generateDomain } from '../bench/generate';

let tmp: string;
before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'xen-net-check-chevrotain-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs dist/cli.js on the paths; whether dist/cli-chevrotain.js was loaded by the end of the run. */
function run(...paths: string[]): { chevrotain: boolean; stdout: string; stderr: string } {
  const hook = join(tmp, 'hook.js');
  writeFileSync(
    hook,
    "process.on('exit', () => process.stderr.write('chevrotain loaded: ' + Object.keys(require.cache).some((k) => k.endsWith('cli-chevrotain.js')) + '\\n'));\n",
  );
  const r = spawnSync(process.execPath, ['--require', hook, join(repoRoot, 'dist', 'cli.js'), ...paths], { encoding: 'utf8', timeout: 120_000 });
  const line = r.stderr.split('\n').find((l) => l.startsWith('chevrotain loaded: '));
  assert.ok(line, `no answer from the hook (status ${r.status}): ${r.stderr.slice(-400)}`);
  return { chevrotain: line === 'chevrotain loaded: true', stdout: r.stdout, stderr: r.stderr };
}

test('a domain file of plain settings is read without chevrotain; one with Python loads it', () => {
  const xen = join(tmp, 'etc', 'xen');
  mkdirSync(xen, { recursive: true });
  const plain = join(xen, 'plain.cfg');
  writeFileSync(plain, generateDomain(3_000));
  const r = run(plain);
  assert.match(r.stderr, / in 1 file\n/, r.stderr);
  assert.match(r.stdout, /\[domain\/duplicate-key\]/);
  assert.equal(r.chevrotain, false, 'chevrotain was loaded for plain settings');

  const python = join(xen, 'python.cfg');
  writeFileSync(python, "import os\nname = 'vm' + str(1)\nmemory = 256\n");
  const p = run(python);
  assert.match(p.stdout, /\[domain\/xl-python\]/, p.stdout);
  assert.equal(p.chevrotain, true, 'chevrotain was not loaded for a Python expression');
});
