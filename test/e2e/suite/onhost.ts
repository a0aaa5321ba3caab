// The "on the host itself" suite: loaded as extensionTestsPath by the on-host run (test/e2e/on-host.ts),
// in which VS Code runs inside the dom0 test host's namespaces on the workspace folder /etc/xen.
import { runAll } from './harness';
import './onhost.e2e';

export async function run(): Promise<void> {
  const { failed } = await runAll();
  if (failed > 0) throw new Error(`${failed} end-to-end test(s) failed`);
}
