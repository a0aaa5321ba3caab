// The end-to-end suite, loaded by VS Code's extension host as extensionTestsPath: VS Code
// calls run() once the workbench is up and exits with 0 if it resolves, 1 if it rejects.
import { runAll } from './harness';
import './languages.e2e';
import './diagnostics.e2e';
import './features.e2e';
import './host.e2e';
import './network.e2e';
import './generate.e2e';
import './apply.e2e';
import './import.e2e';
// (last: it writes large files and a large host into the workspace, and removes them after)
import './large.e2e';

export async function run(): Promise<void> {
  const { failed } = await runAll();
  if (failed > 0) throw new Error(`${failed} end-to-end test(s) failed`);
}
