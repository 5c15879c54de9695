const utf8 = new TextEncoder();

export interface BudgetOptions {
  /** Items available, newest first. */
  readonly total: number;
  readonly maxBytes: number;
  /** Whether items may be dropped entirely once all are down to summaries (not for archives). */
  readonly mayDrop: boolean;
}

/**
 * Renders the largest document that fits the byte budget: first every item in full; then the
 * oldest items fall back to their summaries; then (if allowed) the oldest items go. Readers reject
 * or truncate huge feeds. Binary search keeps this to a few renders.
 */
export function renderWithinBudget(
  render: (count: number, fullCount: number) => string,
  options: BudgetOptions,
): string {
  const fits = (body: string) => utf8.encode(body).byteLength <= options.maxBytes;
  const { total } = options;
  const everything = render(total, total);
  if (fits(everything)) return everything;
  const fullCount = largestFitting(0, total - 1, (full) => fits(render(total, full)));
  if (fullCount !== undefined) return render(total, fullCount);
  if (!options.mayDrop) return render(total, 0);
  const count = largestFitting(0, total - 1, (kept) => fits(render(kept, 0))) ?? 0;
  return render(count, 0);
}

/** The largest n in [low, high] for which `ok(n)` holds, given `ok` is monotone; undefined if none. */
function largestFitting(low: number, high: number, ok: (n: number) => boolean): number | undefined {
  let best: number | undefined;
  let [from, to] = [low, high];
  while (from <= to) {
    const middle = Math.floor((from + to) / 2);
    if (ok(middle)) {
      best = middle;
      from = middle + 1;
    } else {
      to = middle - 1;
    }
  }
  return best;
}
