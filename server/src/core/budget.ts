// Time budgets: a check or a request runs under withBudget(ms, fn); the long loops of the readers
// and checks call checkpoint(), which throws BudgetExceeded once the budget is spent. The server
// then abandons that check (and says so in a diagnostic) and goes on answering. Everything here is
// synchronous, so one budget at a time is in force; outside withBudget, checkpoint() does nothing
// (the CLI has no budget: it runs to the end).

/** Thrown by checkpoint() when the budget in force is spent. */
export class BudgetExceeded extends Error {
  constructor(readonly budgetMs: number) {
    super(`time budget of ${budgetMs} ms spent`);
    this.name = 'BudgetExceeded';
  }
}

/** The server's budget for one check or request, in ms: XEN_LS_BUDGET_MS overrides it (tests set a small one). */
export function serverBudgetMs(): number {
  const env = Number(process.env.XEN_LS_BUDGET_MS);
  return Number.isFinite(env) && env > 0 ? env : 1500;
}

let deadline = Infinity;
let budget = 0;
let calls = 0;

/** Runs fn with a budget of ms; a checkpoint() reached after it is spent throws BudgetExceeded. Nested calls keep the earlier deadline. */
export function withBudget<T>(ms: number, fn: () => T): T {
  const outer = deadline;
  const outerBudget = budget;
  const mine = Date.now() + ms;
  if (mine < deadline) {
    deadline = mine;
    budget = ms;
  }
  try {
    return fn();
  } finally {
    deadline = outer;
    budget = outerBudget;
  }
}

/** A cancellation point of a long loop: cheap (the clock is read every 16th call). */
export function checkpoint(): void {
  if (deadline === Infinity || (++calls & 15) !== 0) return;
  if (Date.now() > deadline) throw new BudgetExceeded(budget);
}

/** Whether err is a spent budget. */
export function isBudgetExceeded(err: unknown): err is BudgetExceeded {
  return err instanceof BudgetExceeded;
}
