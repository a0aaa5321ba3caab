// Where the extension runs: with a remote window (Remote-SSH to dom0), VS Code runs a workspace
// extension beside the files, on the host itself; a virtual file system is declined, since the
// checks read the host's other files from disk and apply runs ssh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../support/paths';

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  extensionKind?: string[];
  capabilities?: { virtualWorkspaces?: boolean | { supported?: boolean; description?: string } };
};

test('the extension is a workspace extension: over Remote-SSH it runs on the host that holds the files', () => {
  assert.deepEqual(manifest.extensionKind, ['workspace']);
});

test('virtual workspaces are declined, with the reason shown to the user', () => {
  const v = manifest.capabilities?.virtualWorkspaces;
  assert.ok(v && typeof v === 'object', 'capabilities.virtualWorkspaces is an object');
  assert.equal(v.supported, false);
  assert.ok((v.description ?? '').length > 20, 'says why');
});
