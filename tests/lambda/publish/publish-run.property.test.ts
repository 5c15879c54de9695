import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RecordTrigger } from '../../../lambda/publish/record-step.ts';
import { createLocalPublisher, testSiteJson } from '../../helpers/local-publisher.ts';
import { propertyRuns, propertyTimeout } from '../../helpers/property-runs.ts';

/** Small windows and monthly pages, so a few dozen records fill several archive pages. */
const site = { ...testSiteJson, maxItems: 3, archivePeriod: 'month' };
const start = Date.parse('2026-01-01T00:00:00Z');
const day = 86_400_000;

const fieldsArbitrary = fc.record({
  title: fc.constantFrom('Alpha', 'Beta', 'Gamma', 'Delta', 'Omega'),
  /** Days from the start: negative is the past, positive an embargo. */
  offsetDays: fc.integer({ min: -120, max: 10 }),
  categories: fc.subarray(['World', 'Economy', 'Sport', 'économie']),
  draft: fc.constantFrom(false, false, false, true),
  expiresInDays: fc.option(fc.integer({ min: -5, max: 30 }), { nil: undefined, freq: 4 }),
});

const operationArbitrary = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('write' as const),
      record: fc.integer({ min: 0, max: 9 }),
      fields: fieldsArbitrary,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('delete' as const), record: fc.integer({ min: 0, max: 9 }) }),
  },
);

const batchArbitrary = fc.record({
  operations: fc.array(operationArbitrary, { minLength: 1, maxLength: 8 }),
  minutesLater: fc.integer({ min: 1, max: 20 * 24 * 60 }),
  seed: fc.integer(),
  duplicate: fc.boolean(),
});

type Fields = typeof fieldsArbitrary extends fc.Arbitrary<infer T> ? T : never;

function recordOf(fields: Fields, index: number) {
  return {
    title: `${fields.title} ${index}`,
    date: new Date(start + fields.offsetDays * day + index * 60_000).toISOString(),
    categories: fields.categories,
    draft: fields.draft,
    ...(fields.expiresInDays === undefined
      ? {}
      : { expires: new Date(start + fields.expiresInDays * day).toISOString() }),
    content_text: `Body of ${fields.title} ${index}.`,
  };
}

/** Deterministic shuffle, so a failing case replays the same order. */
function shuffle<T>(items: readonly T[], seed: number): T[] {
  const result = [...items];
  let state = seed >>> 0 || 1;
  for (let index = result.length - 1; index > 0; index -= 1) {
    state = (state * 1664525 + 1013904223) >>> 0;
    const other = state % (index + 1);
    [result[index], result[other]] = [result[other] as T, result[index] as T];
  }
  return result;
}

describe('incremental publishing', () => {
  it(
    'ends byte-identical to a publish from scratch, archive pages included, whatever the order of events',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(batchArbitrary, { minLength: 2, maxLength: 8 }), async (batches) => {
          const incremental = await createLocalPublisher(site);
          const scratch = await createLocalPublisher(site);
          try {
            let now = start;
            await incremental.publish({ now: new Date(now) });
            for (const batch of batches) {
              const touched: RecordTrigger[] = [];
              for (const operation of batch.operations) {
                const key = `articles/${operation.record}.json`;
                if (operation.kind === 'write')
                  await incremental.write(key, recordOf(operation.fields, operation.record));
                else await incremental.remove(key);
                touched.push({ key });
              }
              now += batch.minutesLater * 60_000;
              // S3 delivers at least once and in any order.
              const events = shuffle(batch.duplicate ? [...touched, ...touched] : touched, batch.seed);
              await incremental.publish({ now: new Date(now), changes: events });
            }
            await scratch.copyContentFrom(incremental.content);
            await scratch.publish({ now: new Date(now) });
            expect(await incremental.files()).toEqual(await scratch.files());
          } finally {
            await incremental.close();
            await scratch.close();
          }
        }),
        { numRuns: propertyRuns(40), timeout: 5000, endOnFailure: true },
      );
    },
    propertyTimeout(40, 2000),
  );
});
