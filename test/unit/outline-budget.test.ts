// The outline of a large file runs under the request's time budget (issue 14): its loops reach
// checkpoint(), so a spent budget stops it (the server then answers the request's empty answer and
// goes on) instead of running to the end of a file of any size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withBudget, isBudgetExceeded } from '../../server/src/core/budget';
import { defaultSettings } from '../../server/src/core/settings';
import { interfacesService } from '../../server/src/formats/interfaces/service';
import { sxpService } from '../../server/src/formats/sxp/service';
import { generateInterfaces, generateSxp } from '../bench/generate';

for (const [what, service, text] of [
  ['interfaces, 20,000 stanzas', interfacesService, generateInterfaces(20_000)],
  ['xend-config.sxp, 20,000 expressions', sxpService, generateSxp(20_000)],
] as const) {
  test(`the outline of ${what} stops when its budget is spent, and is whole without one`, () => {
    const doc = (service as typeof interfacesService).parse(text, defaultSettings);
    const outline = () => (service as typeof interfacesService).symbols(doc);
    // (a millisecond: the outline of such a file takes tens of them)
    assert.throws(
      () => withBudget(1, outline),
      (e: unknown) => isBudgetExceeded(e),
    );
    const whole = outline();
    assert.ok(whole.length >= 20_000, `${whole.length} symbols`);
    // (a budget that is not spent changes nothing)
    assert.equal(JSON.stringify(withBudget(600_000, outline)), JSON.stringify(whole));
  });
}
