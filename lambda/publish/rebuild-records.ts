import * as v from 'valibot';
import type { RecordError } from '../core/model.ts';
import { articleListFields, articleTextFields } from '../core/state/codec.ts';
import type { ClaimCandidate } from '../core/state/read-record-state.ts';
import type { RecordDelta } from '../core/state/site-state.ts';
import type { StoredArticle } from '../core/stored-article.ts';
import type { RebuildMessage } from '../stores/ports.ts';
import type { PageUnit } from './rebuild-article-pages.ts';
import type {
  BucketLists,
  LayoutRecord,
  PartialSiteState,
  PreviousLayout,
  RebuildPlan,
  ReducedGroup,
  SettledClaims,
} from './rebuild-steps.ts';

/*
 * What a rebuild keeps in the state store between its steps, as schemas: each step reads the
 * objects earlier steps wrote through these (decodeJson), so an object of another shape (an
 * earlier version's, or damaged) stops the step with the object and field named, instead of
 * turning into wrong files. Each schema is typed by the interface it checks: the compiler holds
 * the two together. Objects keep fields a schema does not name (loose), so nothing is dropped.
 */

const text = v.string();
const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const texts = v.array(text);
const counts = v.record(v.string(), count);

const recordError: v.GenericSchema<unknown, RecordError> = v.looseObject({
  key: text,
  field: text,
  message: text,
  line: v.optional(count),
});
const visibility = v.picklist(['published', 'draft', 'embargoed', 'expired']);

/** An article as a state object holds it: the same fields the state codec checks (core/state/codec.ts). */
export const storedArticleSchema = v.looseObject({
  ...Object.fromEntries(articleTextFields.map((field) => [field, text])),
  ...Object.fromEntries(articleListFields.map((field) => [field, v.array(v.unknown())])),
}) as unknown as v.GenericSchema<unknown, StoredArticle>;

const previousLayout: v.GenericSchema<unknown, PreviousLayout> = v.looseObject({
  periods: v.record(v.string(), texts),
  revision: count,
});

export const rebuildJobSchema = v.looseObject({
  version: v.literal(3),
  id: text,
  now: text,
  previousLayout,
});

export const phaseSizeSchema = v.looseObject({ count, items: v.optional(texts) });

export const storedChunkSchema = v.looseObject({
  keys: texts,
  stale: texts,
  remembered: v.optional(
    v.record(v.string(), v.looseObject({ id: v.optional(text), since: v.optional(text) })),
  ),
});

const rebuildPhase = v.picklist(['read', 'settle', 'reduce', 'render', 'pages', 'sets']);

/** A rebuild step as the queue carries it (and as the listing chain's next step is kept). */
export const rebuildMessageSchema: v.GenericSchema<unknown, RebuildMessage> = v.variant('kind', [
  v.looseObject({
    kind: v.literal('rebuild-list'),
    job: text,
    n: count,
    after: v.optional(text),
    chunk: count,
  }),
  v.looseObject({ kind: v.literal('rebuild-step'), job: text, phase: rebuildPhase, n: count }),
  v.looseObject({ kind: v.picklist(['rebuild-read', 'rebuild-render']), job: text }),
]);

const partialSiteState: v.GenericSchema<unknown, PartialSiteState> = v.looseObject({
  records: count,
  counts: v.looseObject({ published: count, draft: count, embargoed: count, expired: count }),
  pending: v.record(v.string(), text),
  invalid: v.record(v.string(), v.looseObject({ errors: v.array(recordError), keptLastGood: v.boolean() })),
});

export const readResultSchema = v.looseObject({
  partial: partialSiteState,
  warnings: v.array(recordError),
  buckets: counts,
  read: count,
});

export const claimCandidatesSchema: v.GenericSchema<unknown, ClaimCandidate[]> = v.array(
  v.looseObject({ key: text, id: text, since: text, published: text }),
);

const recordDelta: v.GenericSchema<unknown, RecordDelta> = v.looseObject({
  id: v.optional(text),
  key: text,
  existed: v.boolean(),
  exists: v.boolean(),
  visibilityBefore: v.optional(visibility),
  visibilityAfter: v.optional(visibility),
  pendingAt: v.optional(text),
  errors: v.array(recordError),
  keptLastGood: v.boolean(),
});

export const settledClaimsSchema: v.GenericSchema<unknown, SettledClaims> = v.looseObject({
  losers: texts,
  corrections: v.array(recordDelta),
  notices: v.array(recordError),
});

export const layoutRecordsSchema: v.GenericSchema<unknown, LayoutRecord[]> = v.array(
  v.looseObject({ key: text, id: text, published: text, sets: texts, period: text }),
);

const textPair = v.tuple([text, text]);

export const reducedGroupSchema: v.GenericSchema<unknown, ReducedGroup> = v.looseObject({
  counts: v.record(v.string(), counts),
  newest: v.record(v.string(), v.array(textPair)),
  oldest: v.optional(text),
});

export const bucketListsSchema: v.GenericSchema<unknown, BucketLists> = v.record(
  v.string(),
  v.record(v.string(), texts),
);

export const rebuildPlanSchema: v.GenericSchema<unknown, RebuildPlan> = v.looseObject({
  revision: count,
  shardTag: text,
  sets: v.record(v.string(), v.looseObject({ window: texts, periods: counts })),
  edges: v.array(textPair),
});

export const renderedGroupSchema = v.looseObject({ pages: v.optional(counts) });

const linkedArticle = v.looseObject({ id: text, url: v.optional(text), title: text });

export const pageUnitsSchema: v.GenericSchema<unknown, PageUnit[]> = v.array(
  v.looseObject({ key: text, newer: v.optional(linkedArticle), older: v.optional(linkedArticle) }),
);

export const finishedSetSchema = v.looseObject({ folder: text, category: v.optional(text) });
