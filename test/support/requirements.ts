// What a test needs from this machine. A test whose need is missing fails with the reason and
// the command that installs it; it is skipped only when the user asked to leave that kind of
// test out, with one of the variables below (README.md, "Leaving tests out").
import assert from 'node:assert/strict';

export const SKIP_VARIABLES = {
  SKIP_ORACLES: 'the real parsers (ifupdown, Augeas, libxlutil) and the shared test data they read',
  SKIP_SSH: 'the apply tests against the real sshd test host (root, network and mount namespaces)',
  SKIP_NETWORK: "the network proof (root, namespaces, Debian's vif-route, ping)",
  SKIP_ROOT: 'tests that need root for something else (giving a file another owner, reading as another user)',
} as const;
export type SkipVariable = keyof typeof SKIP_VARIABLES;

export interface Requirement {
  /** For the test's options: the reason when the user asked to leave these tests out, else false. */
  skip: string | false;
  /** Call first in the test (or its before hook): fails with the reason when the need is missing. */
  check(): void;
}

/** missing: why the tests cannot run here, or null when they can. */
export function requirement(missing: string | null, variable: SkipVariable): Requirement {
  const asked = process.env[variable] === '1';
  return {
    skip: asked ? `left out: ${variable}=1 (${SKIP_VARIABLES[variable]})` : false,
    check() {
      if (missing && !asked) {
        assert.fail(`cannot run here: ${missing}. Install what is missing with 'bash scripts/setup.sh' (as root), or leave these tests out with ${variable}=1`);
      }
    },
  };
}
