// xend-config with 20,000 expressions is parsed and checked quickly, and the time grows linearly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sxpService } from '../../../server/src/formats/sxp/service';
import { defaultSettings } from '../../../server/src/core/settings';

export function generateXendConfig(n: number): string {
  const forms = [
    (i: number) => `(dom0-min-mem ${i})`,
    () => `(vif-script 'vif-route netdev=dummy0')`,
    () => `(network-script network-route) # routed`,
    (i: number) => `(xen-api-server ((${9000 + (i % 1000)} pam '^localhost$') (unix none)))`,
    () => `(xend-relocation-hosts-allow '^localhost$ ^localhost\\\\.localdomain$')`,
  ];
  const out = ['# -*- sh -*-'];
  for (let i = 0; i < n; i++) out.push(forms[i % forms.length](i));
  return out.join('\n') + '\n';
}

/** Best of three, in milliseconds of this process's CPU time (wall time is meaningless on a shared, busy machine). */
function time(text: string): number {
  let best = Infinity;
  for (let k = 0; k < 3; k++) {
    const c0 = process.cpuUsage();
    const doc = sxpService.parse(text, defaultSettings);
    sxpService.diagnostics(doc, defaultSettings);
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / 1000);
  }
  return best;
}

test('20,000 expressions parse and check fast; 100,000 grow linearly, not quadratically', () => {
  const small = generateXendConfig(20_000);
  const big = generateXendConfig(100_000);
  time(small); // warm up
  const t20 = time(small);
  const t100 = time(big);
  console.log(`# sxp: 20,000 expressions (${(small.length / 1e6).toFixed(2)} MB) ${t20.toFixed(1)} ms CPU; 100,000 ${t100.toFixed(1)} ms CPU; ratio ${(t100 / t20).toFixed(2)}`);
  // the target is well under 100 ms on a quiet machine; the bound here leaves room for a busy CI
  assert.ok(t20 < 500, `20,000 expressions took ${t20.toFixed(1)} ms`);
  // linear is 5x, quadratic 25x; the margin absorbs GC and a busy machine
  assert.ok(t100 < 12 * t20, `not linear: ${t20.toFixed(1)} ms → ${t100.toFixed(1)} ms`);
});
