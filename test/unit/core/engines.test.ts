// package.json says which Node the tools need, and every locked package agrees with it: `npm ci`
// on a machine with that Node prints no engine warning (EBADENGINE).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as semver from 'semver';
import { repoRoot } from '../../support/paths';

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { engines?: { node?: string } };
const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { engines?: { node?: string } | string[]; optional?: boolean }>;
};

test('package.json declares engines.node, and this Node satisfies it', () => {
  const range = manifest.engines?.node;
  assert.ok(range, 'engines.node is set');
  assert.ok(semver.satisfies(process.version, range), `${process.version} satisfies ${range}`);
});

test('every locked package accepts the lowest Node that engines.node allows', () => {
  const lowest = semver.minVersion(manifest.engines!.node!)!.version;
  const refused: string[] = [];
  for (const [path, pkg] of Object.entries(lock.packages)) {
    const range = pkg.engines && !Array.isArray(pkg.engines) ? pkg.engines.node : undefined;
    if (range && !semver.satisfies(lowest, range)) refused.push(`${path} needs node ${range}`);
  }
  assert.deepEqual(refused, [], `packages that npm ci would warn about on Node ${lowest}`);
});
