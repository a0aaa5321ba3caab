// xen-net-check writes its findings with write(2) on fds 1 and 2 (not through process.stdout, whose
// streams cost a small run ~10 ms): a long output arrives whole through a pipe, and a reader that
// closes early (| head) ends the run quietly with status 0, as before. (A descriptor left
// non-blocking goes through Node's stream from its first EAGAIN: server/src/cli.ts, writer().)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../support/paths';

const bin = join(repoRoot, 'server', 'bin', 'xen-net-check');
let tmp: string;
let many: string;
before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'xen-net-check-output-'));
  many = join(tmp, 'many.interfaces');
  const lines = ['auto eth0', 'iface eth0 inet static', '    address 192.0.2.10', '    netmask 255.255.255.0'];
  for (let i = 0; i < 3000; i++) lines.push(`    frobnicate${i} yes`);
  writeFileSync(many, lines.join('\n') + '\n');
});
after(() => rmSync(tmp, { recursive: true, force: true }));

test('a long output arrives whole through a pipe read slowly', async () => {
  const file = spawnSync(process.execPath, [bin, many], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  assert.ok(file.stdout.length > 100_000, `expected a long output, got ${file.stdout.length} bytes: ${file.stderr}`);
  const child = spawn(process.execPath, [bin, many], { stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  // read one chunk at a time, pausing between them, so that the pipe fills and the writer waits
  child.stdout.on('data', (d: Buffer) => {
    chunks.push(d);
    child.stdout.pause();
    setTimeout(() => child.stdout.resume(), 5);
  });
  const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  assert.equal(status, file.status, stderr);
  assert.equal(Buffer.concat(chunks).toString('utf8'), file.stdout);
  assert.equal(stderr, file.stderr);
});

test('a reader that closes early ends the run quietly, with status 0', () => {
  const r = spawnSync('bash', ['-c', 'set -o pipefail; "$0" "$1" "$2" | head -c 10 >/dev/null', process.execPath, bin, many], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(r.error, undefined, `bash could not be run: ${String(r.error)}`);
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /internal error|EPIPE/, r.stderr);
});
