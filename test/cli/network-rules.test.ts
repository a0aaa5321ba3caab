// The command line's --subnet and --gateway-interface follow core/network.ts's rules and give
// their reasons (the same words the editor shows for the settings).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../support/paths';
import { gatewayInterfaceProblem, routedSubnetProblem } from '../../server/src/core/network';

const bin = join(repoRoot, 'server', 'bin', 'xen-net-check');

function run(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("--subnet and --gateway-interface: a usage error with the rule's reason", () => {
  const dir = mkdtempSync(join(tmpdir(), 'xnc-rules-'));
  try {
    for (const [option, value, reason] of [
      ['--subnet', '80.68.86.194/29', routedSubnetProblem('80.68.86.194/29')!],
      ['--subnet', '80.68.86.192/31', routedSubnetProblem('80.68.86.192/31')!],
      ['--subnet', 'nonsense', routedSubnetProblem('nonsense')!],
      ['--gateway-interface', 'lo', gatewayInterfaceProblem('lo')!],
      ['--gateway-interface', 'eth0:1', gatewayInterfaceProblem('eth0:1')!],
    ] as const) {
      const r = run([option, value, '.'], dir);
      assert.equal(r.status, 2, `${option} ${value}: ${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.ok(r.stderr.includes(reason), `${option} ${value}: ${r.stderr}`);
    }
    // a usable value is taken
    const ok = run(['--subnet', '80.68.86.192/29', '--gateway-interface', 'dummy0', '.'], dir);
    assert.notEqual(ok.status, 2, ok.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
