/**
 * How many runs a property test makes: its base number, times PROPERTY_SCALE (1 by default, so
 * `npm test` stays quick; `.ci/run` sets more).
 */
export function propertyRuns(base: number): number {
  const scale = Number(process.env.PROPERTY_SCALE ?? 1);
  return Math.max(1, Math.round(base * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}

/**
 * How long a property test may take: its runs at `perRunMs` each, and never less than the
 * suite's minute. Scaled runs on a busy CI machine need the time; the runs, not the clock, are
 * what is tested.
 */
export function propertyTimeout(base: number, perRunMs: number): number {
  return Math.max(60_000, propertyRuns(base) * perRunMs);
}
