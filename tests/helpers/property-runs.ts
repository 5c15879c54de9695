/**
 * How many runs a property test makes: its base number, times PROPERTY_SCALE (1 by default, so
 * `npm test` stays quick; `.ci/run` sets more).
 */
export function propertyRuns(base: number): number {
  const scale = Number(process.env.PROPERTY_SCALE ?? 1);
  return Math.max(1, Math.round(base * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}
