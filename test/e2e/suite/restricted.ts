// The Restricted Mode suite: loaded as extensionTestsPath by the second end-to-end run, in which
// VS Code has Workspace Trust on and the example host is not trusted (XEN_E2E_TRUST=restricted).
import { runAll } from './harness';
import './restricted.e2e';

export async function run(): Promise<void> {
  const { failed } = await runAll();
  if (failed > 0) throw new Error(`${failed} end-to-end test(s) failed`);
}
