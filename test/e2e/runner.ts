// Runs the end-to-end suite in a real VS Code through @vscode/test-electron.
// Usage (scripts/e2e.sh does this): node out/test/e2e/runner.js <workspace folder>
// VS Code itself is test/e2e/bin/code, a stand-in for the desktop executable that runs
// code-server and its workbench in Chromium (see test/e2e/stand-in/index.ts).
import { runTests } from '@vscode/test-electron';
import { join, resolve } from 'node:path';

async function main(): Promise<number> {
  const repoRoot = resolve(__dirname, '..', '..', '..');
  const workspace = process.argv[2];
  if (!workspace) {
    process.stderr.write('usage: node out/test/e2e/runner.js <workspace folder>\n');
    return 2;
  }
  const runDir = process.env.XEN_E2E_RUN ?? join(repoRoot, 'test', 'e2e', '.run');
  try {
    return await runTests({
      vscodeExecutablePath: join(repoRoot, 'test', 'e2e', 'bin', 'code'),
      extensionDevelopmentPath: repoRoot,
      // XEN_E2E_SUITE=restricted: the Restricted Mode suite (run with XEN_E2E_TRUST=restricted)
      extensionTestsPath: join(repoRoot, 'out', 'test', 'e2e', 'suite', `${process.env.XEN_E2E_SUITE ?? 'index'}.js`),
      launchArgs: [resolve(workspace), `--user-data-dir=${join(runDir, 'user-data')}`, `--extensions-dir=${join(runDir, 'extensions')}`],
      extensionTestsEnv: { XEN_E2E_RUN: runDir },
    });
  } catch (err) {
    // test-electron rejects with the exit code when VS Code (the stand-in) exits non-zero
    const code = (err as { code?: number }).code;
    return typeof code === 'number' && code !== 0 ? code : 1;
  }
}

void main().then((code) => process.exit(code));
