// A very small test runner for the extension host (mocha is not installed, and node:test's
// reporters write to a stdout that VS Code does not show). Tests run one after the other, each
// with a time limit; every line is written with the "[e2e] " prefix that the VS Code stand-in
// picks out of the workbench log.
import * as vscode from 'vscode';

interface Case {
  name: string;
  fn: () => Promise<void> | void;
  timeoutMs: number;
}

const cases: Case[] = [];

export function test(name: string, fn: () => Promise<void> | void, timeoutMs = 60_000): void {
  cases.push({ name, fn, timeoutMs });
}

export function log(line: string): void {
  console.log(`[e2e] ${line}`);
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, rej) => {
    timer = setTimeout(() => rej(new Error(`${what}: no result within ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

export async function runAll(): Promise<{ passed: number; failed: number }> {
  let passed = 0;
  let failed = 0;
  log(`start ${cases.length} tests in VS Code ${vscode.version}`);
  for (const c of cases) {
    const t = Date.now();
    try {
      await withTimeout(Promise.resolve().then(c.fn), c.timeoutMs, 'the test');
      passed++;
      log(`✔ ${c.name} (${Date.now() - t} ms)`);
    } catch (err) {
      failed++;
      const e = err as Error;
      const detail = (e?.stack ?? String(err))
        .split('\n')
        .filter((l) => !/node:internal|extensionHostProcess|vs\/workbench/.test(l))
        .slice(0, 8)
        .map((l) => `    ${l}`)
        .join('\n');
      log(`✘ ${c.name} (${Date.now() - t} ms)\n${detail}`);
    }
  }
  log(`${passed} passed, ${failed} failed`);
  return { passed, failed };
}
