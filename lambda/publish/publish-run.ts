import { randomUUID } from 'node:crypto';
import { joinSorted, mapLimited } from '../core/async-lists.ts';
import { emptyManifest, mainSet, type SetManifest } from '../core/feed-sets/feed-set.ts';
import type { RecordError, SiteConfig } from '../core/model.ts';
import { isIdFromKey } from '../core/records/article-id.ts';
import { renderSitePageFiles } from '../core/render/subscribe-file.ts';
import { subscribePageItems } from '../core/render/subscribe-page.ts';
import type { PublishReport } from '../core/report.ts';
import { readingKey, renderingKey } from '../core/settings-keys.ts';
import { siteConfigWarnings } from '../core/site-config.ts';
import { decodeManifest, decodeSiteState, encodeState } from '../core/state/codec.ts';
import type { SetTouch } from '../core/state/record-state.ts';
import { applyDeltas, duePending, type SiteState, type StatePlaces } from '../core/state/site-state.ts';
import { stateKeys } from '../core/state/state-keys.ts';
import { loadArticle } from '../core/stored-article.ts';
import {
  type OutputStore,
  type RecordStore,
  type StateStore,
  type TaskQueue,
  WriteConflictError,
} from '../stores/ports.ts';
import { findOrphanEntries } from './orphan-entries.ts';
import { checkOutput, type OutputCheck } from './output-check.ts';
import { RecordingOutput } from './output-ledger.ts';
import { readSite, rememberTemplates } from './read-site.ts';
import { type Progress, rebuild } from './rebuild.ts';
import { resumeRebuildJob, startRebuildJob } from './rebuild-job.ts';
import {
  leaseState,
  type OwnerCheck,
  type RebuildLease,
  RebuildRunningError,
  readLease,
  releaseLease,
  takeLease,
  touchLease,
} from './rebuild-lease.ts';
import { recordStateKeys } from './record-listing.ts';
import {
  type RecordStep,
  type RecordTrigger,
  readDeparted,
  releaseId,
  settleRecordStep,
  stepRecord,
  unquote,
  writeRecordStep,
} from './record-step.ts';
import { retryOnConflict, writeFile } from './retry.ts';
import { applySetChange, type SetStepResult } from './set-step.ts';

export interface PublishRunOptions {
  readonly records: RecordStore;
  readonly output: OutputStore;
  /** Where the publisher keeps its own state: never inside the output. */
  readonly state: StateStore;
  readonly now: Date;
  /** With `changes`: an event named a template, so the templates are read again. */
  readonly templatesChanged?: boolean;
  /** Settings that win over site.json, such as the deployed feed URL. */
  readonly siteOverrides?: Partial<SiteConfig>;
  /**
   * The records S3 events named: only these are read, nothing is listed. Omitted: a reconcile,
   * which lists the records and looks at those changed since the last reconcile.
   */
  readonly changes?: readonly RecordTrigger[];
  /** Read every record and render every set again, as a first publish does. */
  readonly rebuild?: boolean;
  /** Told how a rebuild in this process advances (records read, files written). */
  readonly onProgress?: (progress: Progress) => void;
  /**
   * Where a rebuild's steps go to be spread over many invocations (Lambda). Without it, a rebuild
   * runs here, in this process (the CLI).
   */
  readonly rebuildQueue?: TaskQueue;
  /**
   * The output and content source this publish uses. A state that records others is refused
   * (StatePlaceError); one that records none takes these.
   */
  readonly places?: StatePlaces;
  /** The clock a rebuild's lease is kept by (default: `now`, which never moves: give a real one for long rebuilds). */
  readonly clock?: () => Date;
  /**
   * This process, for a rebuild run here: the lease names it, and a lease whose process no
   * longer runs is taken over at once instead of after minutes without progress.
   */
  readonly owner?: { readonly name: string; readonly isAlive: OwnerCheck };
}

/** The state belongs to another output or content source than this publish's. */
export class StatePlaceError extends Error {
  override readonly name = 'StatePlaceError';
}

export interface PublishRunResult {
  readonly report: PublishReport;
  readonly written: readonly string[];
  readonly deleted: readonly string[];
  /** How the run went about it; a rebuild spread over the queue is started, or already under way. */
  readonly mode:
    | 'rebuild'
    | 'rebuild-started'
    | 'rebuild-pending'
    | 'rebuild-resumed'
    | 'changes'
    | 'reconcile';
  /** Records read or looked at again. */
  readonly looked: number;
  /** What a look at the output found and restored (reconciles: every CLI publish, the schedule). */
  readonly output?: OutputCheck;
  /** The rebuild that made this publish wait (mode 'rebuild-pending'). */
  readonly rebuildRunning?: RebuildLease;
}

const recordConcurrency = 16;
const setConcurrency = 4;

/**
 * One publish. A first publish, or one after a change of the settings that reading or
 * rendering depend on, rebuilds everything. Otherwise only the records named (or, in a
 * reconcile, changed since the last one) and the embargoes and expiries now due are read, and
 * only the sets and archive periods they touch are read, rendered and written.
 */
export async function runPublish(options: PublishRunOptions): Promise<PublishRunResult> {
  // Record events name the records to read; the templates are read when an event names one.
  const reading = await readSite(options.records, options.state, options.siteOverrides, {
    templates: options.changes && !options.templatesChanged ? 'remembered' : 'read',
  });
  const { site, siteText, templates } = reading;
  const output = RecordingOutput.over(options.output);
  const result = await publishWith({ ...options, output }, site).catch(async (error: unknown) => {
    // What was written is remembered even when the run fails midway; the run's own failure is the one told.
    await output.flush(options.state).catch(() => undefined);
    throw error;
  });
  await output.flush(options.state);
  await rememberTemplates(options.state, reading);
  const { report } = result;
  return {
    ...result,
    report: {
      ...report,
      errors: [...templates.errors, ...report.errors],
      warnings: [...siteConfigWarnings(siteText), ...templates.warnings, ...report.warnings],
      keptLastGood: [...templates.keptLastGood, ...report.keptLastGood],
    },
  };
}

type RunOptions = PublishRunOptions & { readonly output: RecordingOutput };

async function publishWith(options: RunOptions, site: SiteConfig): Promise<PublishRunResult> {
  const stored = await options.state.read(stateKeys.site);
  const siteState = stored ? decodeSiteState(stored.text, stateKeys.site) : undefined;
  checkPlaces(siteState?.places, options);
  const instead = await rebuildInstead(options, site, siteState);
  // Without a state, a rebuild is always due: `instead` is set.
  if (instead || !siteState) return instead ?? pendingResult(siteState, options.now);
  const context = { site, records: options.records, state: options.state, now: options.now };
  const { triggers, listed } = await triggersOf(options, siteState);
  const { steps, sets } = await runRecordSteps(context, options, [...triggers.values()]);
  const recordStates = await repairCounts(options, site, siteState, steps, sets, listed);
  const nextSite = await commitSiteState(options, steps, sets, {
    reconciled: !options.changes && triggers.size > 0,
    recordStates,
  });
  // The sets and the site state know every step now.
  await mapLimited(steps, recordConcurrency, ({ step, version }) =>
    settleRecordStep(options.state, step, version),
  );
  const written = [...sets.values()].flatMap((set) => set.written);
  const deleted = [...sets.values()].flatMap((set) => set.deleted);
  written.push(...(await writeSitePages(options, site, sets, nextSite)));
  // A reconcile (every CLI publish, the schedule) looks at the output itself: files deleted or
  // changed by anyone else are rendered again from the state.
  const output = options.changes ? undefined : await checkAndRestore(options, site, nextSite.next);
  return {
    report: reportOf(
      nextSite.next,
      steps.map(({ step }) => step),
      options.now,
    ),
    written,
    deleted,
    mode: options.changes ? 'changes' : 'reconcile',
    looked: steps.length,
    ...(output ? { output } : {}),
  };
}

/**
 * A rebuild's answer instead of a publish: one is running (a publish changes nothing meanwhile:
 * the rebuild could remove what it placed, and the reconcile that follows every rebuild publishes
 * what changed), a stalled one is resumed, or one is due (asked for, no state yet, a state from
 * before the ledger, or reading or rendering changed). Undefined when the publish goes ahead.
 */
async function rebuildInstead(
  options: RunOptions,
  site: SiteConfig,
  siteState: SiteState | undefined,
): Promise<PublishRunResult | undefined> {
  const clock = options.clock ?? (() => options.now);
  const rebuilding = await leaseState(options.state, clock(), options.owner?.isAlive);
  if (rebuilding.lease && rebuilding.live) return pendingResult(siteState, options.now, rebuilding.lease);
  // A job on the queue that stopped making progress goes on from where it stopped.
  const stalled = rebuilding.lease;
  if (stalled && stalled.owner === undefined && options.rebuildQueue) {
    if (await resumeRebuildJob({ ...options, site, now: clock() }, options.rebuildQueue, stalled.id)) {
      return { ...pendingResult(siteState, options.now, stalled), mode: 'rebuild-resumed' };
    }
  }
  const due =
    options.rebuild ||
    !siteState ||
    // A state from before the ledger: one rebuild (spread over the queue in Lambda) writes every
    // file through it; rendering it all in one reconcile could outlast a Lambda timeout.
    !siteState.ledger ||
    siteState.readWith !== readingKey(site) ||
    siteState.renderWith !== renderingKey(site);
  if (!due) return undefined;
  try {
    if (options.rebuildQueue) {
      await startRebuildJob({ ...options, site }, options.rebuildQueue, siteState);
      return { ...pendingResult(siteState, options.now), mode: 'rebuild-started' };
    }
    return await rebuildHere(options, site, siteState, clock);
  } catch (error) {
    if (!(error instanceof RebuildRunningError)) throw error;
    return pendingResult(siteState, options.now, await readLease(options.state, clock()));
  }
}

/**
 * The records to look at: those the changes name, or (a reconcile) every key compared, not
 * counted: a record whose object is gone, or that has no record state, is looked at whatever the
 * counts say; the others when they changed since the last reconcile. Records whose visibility is
 * due are looked at too. `listed` counts the records a reconcile listed.
 */
async function triggersOf(
  options: RunOptions,
  siteState: SiteState,
): Promise<{ triggers: Map<string, RecordTrigger>; listed?: number }> {
  const due = new Set(duePending(siteState, options.now).due);
  const triggers = new Map<string, RecordTrigger>();
  for (const key of due) triggers.set(key, { key, visibilityOnly: true });
  // A record looked at for another reason whose visibility is due too keeps that reason.
  const look = (trigger: RecordTrigger) =>
    triggers.set(trigger.key, due.has(trigger.key) ? { ...trigger, visibilityDue: true } : trigger);
  if (options.changes) {
    for (const change of latestPerKey(options.changes)) look(change);
    return { triggers };
  }
  const since = siteState.reconciledAt
    ? Date.parse(siteState.reconciledAt) - options.records.clockMarginMs
    : -Infinity;
  let listed = 0;
  for await (const page of joinSorted(options.records.listRecords(), recordStateKeys(options.state))) {
    for (const { key, left: record, right: known } of page) {
      if (record) listed += 1;
      if (!record) look({ key });
      else if (!known || record.lastModified >= since) look({ key, etag: record.etag });
    }
  }
  return { triggers, listed };
}

/**
 * Each record looked at, then its sets. An id given up goes to the records that waited for it (a
 * file moved with its explicit id, whose new key was read before its old one was gone); they are
 * read again, in this run.
 */
async function runRecordSteps(
  context: Context,
  options: RunOptions,
  triggers: readonly RecordTrigger[],
): Promise<{ sets: Map<string, SetStepResult>; steps: CommittedStep[] }> {
  const first = await applySteps(context, options, await processRecords(context, triggers));
  let { steps, sets } = first;
  for (let released = steps; released.length > 0; ) {
    const releases = released.flatMap(({ step }) => (step.releasedId ? [step] : []));
    const waiting = await mapLimited(releases, recordConcurrency, (step) =>
      releaseId(options.state, step.releasedId ?? '', step.key),
    );
    const reread = [...new Set(waiting.flat())].map((key) => ({ key, reread: true }));
    if (reread.length === 0) break;
    const more = await applySteps(context, options, await processRecords(context, reread));
    sets = mergeSets(sets, more.sets);
    steps = [...steps, ...more.steps];
    released = more.steps;
  }
  return { steps, sets };
}

/**
 * When a reconcile's count of records disagrees with the state's (something once went wrong: two
 * rebuilds racing, in earlier versions), every set entry is checked against the record states and
 * the count is set right: the right count, or undefined when nothing needed it.
 */
async function repairCounts(
  options: RunOptions,
  site: SiteConfig,
  siteState: SiteState,
  steps: readonly CommittedStep[],
  sets: Map<string, SetStepResult>,
  listed: number | undefined,
): Promise<number | undefined> {
  if (listed === undefined || listed === countAfter(siteState, steps)) return undefined;
  const orphans = await findOrphanEntries(options.state, site, Object.keys(siteState.categories));
  const repaired = await mapLimited([...orphans.touches], setConcurrency, ([folder, touches]) =>
    applySetChange({ site, state: options.state, output: options.output }, folder, touches),
  );
  for (const result of repaired) mergeSet(sets, result);
  return orphans.recordStates;
}

/** The site state with every step's deltas, written over the version read (again on a conflict). */
async function commitSiteState(
  options: RunOptions,
  steps: readonly CommittedStep[],
  sets: ReadonlyMap<string, SetStepResult>,
  found: { readonly reconciled: boolean; readonly recordStates?: number },
): Promise<{ next: SiteState; categoriesChanged: boolean }> {
  const categories = new Map<string, string | undefined>(
    [...sets.values()].filter((set) => set.folder !== mainSet).map((set) => [set.folder, set.name]),
  );
  return retryOnConflict(async () => {
    const fresh = await options.state.read(stateKeys.site);
    if (!fresh) throw new WriteConflictError('the site state vanished while this publish ran');
    const current = decodeSiteState(fresh.text, stateKeys.site);
    const next: SiteState = {
      ...applyDeltas(
        current,
        steps.flatMap(({ step }) => step.next.unsettled?.deltas ?? []),
        categories,
      ),
      // A reconcile that found nothing leaves the state as it was: changes after the last
      // reconcile that did find something are few, and each is looked at by its version alone.
      ...(found.reconciled ? { reconciledAt: options.now.toISOString() } : {}),
      ...(found.recordStates !== undefined ? { records: found.recordStates } : {}),
      ...(options.places ? { places: options.places } : {}),
    };
    const text = encodeState(next);
    if (text !== fresh.text) await options.state.write(stateKeys.site, text, { version: fresh.version });
    return {
      next,
      categoriesChanged: JSON.stringify(current.categories) !== JSON.stringify(next.categories),
    };
  });
}

/**
 * The subscribe and categories pages, whenever the categories changed or the main set was worked
 * on (a run finishing an interrupted one cannot tell whether the page was written; an unchanged
 * page costs one look). Answers the paths written.
 */
async function writeSitePages(
  options: RunOptions,
  site: SiteConfig,
  sets: ReadonlyMap<string, SetStepResult>,
  nextSite: { readonly next: SiteState; readonly categoriesChanged: boolean },
): Promise<string[]> {
  const main = sets.get(mainSet);
  if (!nextSite.categoriesChanged && !main) return [];
  const manifest = main ? main.manifest : await readMainManifest(options.state);
  const files = renderSitePageFiles(
    site,
    manifest.window.slice(0, subscribePageItems).map(loadArticle),
    nextSite.next.categories,
  );
  const written: string[] = [];
  for (const file of files)
    if (await writeFile(options.output, file, manifest.revision ?? 0)) written.push(file.path);
  return written;
}

/** The output checked against the ledger and repaired; the first check completes the ledger. */
async function checkAndRestore(
  options: PublishRunOptions & { readonly output: RecordingOutput },
  site: SiteConfig,
  siteState: SiteState,
): Promise<OutputCheck> {
  await options.output.flush(options.state);
  const check = await checkOutput({ site, state: options.state, output: options.output }, siteState);
  await options.output.flush(options.state);
  if (!siteState.ledger) {
    await retryOnConflict(async () => {
      const fresh = await options.state.read(stateKeys.site);
      if (!fresh) throw new WriteConflictError('the site state vanished while this publish ran');
      const text = encodeState({ ...decodeSiteState(fresh.text, stateKeys.site), ledger: true });
      if (text !== fresh.text) await options.state.write(stateKeys.site, text, { version: fresh.version });
    });
  }
  return check;
}

/**
 * A rebuild in this process, under the lease, then a reconcile for whatever changed while it ran
 * (records written or deleted after its listing, events it made wait).
 */
async function rebuildHere(
  options: PublishRunOptions & { readonly output: RecordingOutput },
  site: SiteConfig,
  siteState: SiteState | undefined,
  clock: () => Date,
): Promise<PublishRunResult> {
  const startedAt = clock().toISOString();
  const id = `${Date.parse(startedAt).toString(36)}-${randomUUID().slice(0, 8)}`;
  await takeLease(
    options.state,
    { id, startedAt, progressAt: startedAt, ...(options.owner ? { owner: options.owner.name } : {}) },
    options.owner?.isAlive,
  );
  let rebuilt: Awaited<ReturnType<typeof rebuild>>;
  try {
    rebuilt = await rebuild({
      ...options,
      id,
      site,
      previous: siteState,
      onStep: () => touchLease(options.state, id, clock()),
    });
  } finally {
    await releaseLease(options.state, id);
  }
  const after = await publishWith({ ...options, rebuild: false, changes: undefined }, site);
  return {
    ...after,
    report: { ...after.report, warnings: [...rebuilt.report.warnings, ...after.report.warnings] },
    written: [...new Set([...rebuilt.written, ...after.written])],
    deleted: [...new Set([...rebuilt.deleted, ...after.deleted])],
    mode: 'rebuild',
    looked: rebuilt.read + after.looked,
  };
}

/** A publish that changed nothing because a rebuild runs (or was just started). */
function pendingResult(
  siteState: SiteState | undefined,
  now: Date,
  running?: RebuildLease,
): PublishRunResult {
  return {
    report: siteState ? reportOf(siteState, [], now) : emptyReport,
    written: [],
    deleted: [],
    mode: 'rebuild-pending',
    looked: 0,
    ...(running ? { rebuildRunning: running } : {}),
  };
}

/**
 * A state describes one output published from one content source. Another output never reuses
 * it (its files are elsewhere); another content source only replaces the output's articles when
 * asked to, by a rebuild.
 */
function checkPlaces(recorded: StatePlaces | undefined, options: PublishRunOptions): void {
  const given = options.places;
  if (!recorded || !given) return;
  if (recorded.output !== given.output) {
    throw new StatePlaceError(
      `this state describes the output ${recorded.output}, not ${given.output}: give each output a state of its own (--state), or publish to ${recorded.output}`,
    );
  }
  if (recorded.content !== given.content && !options.rebuild) {
    throw new StatePlaceError(
      `${given.output} was published from ${recorded.content}, not ${given.content}: publishing would remove every article ${given.content} lacks; to replace them with ${given.content}'s, publish again with --rebuild`,
    );
  }
}

/** Of several events for one key, the newest (by sequencer) is the one that counts. */
function latestPerKey(changes: readonly RecordTrigger[]): RecordTrigger[] {
  const latest = new Map<string, RecordTrigger>();
  for (const change of changes) {
    const known = latest.get(change.key);
    if (!known || (change.sequencer ?? '') > (known.sequencer ?? '')) latest.set(change.key, change);
  }
  return [...latest.values()];
}

type Context = Parameters<typeof stepRecord>[0];

async function processRecords(context: Context, triggers: readonly RecordTrigger[]): Promise<RecordStep[]> {
  const steps = await mapLimited(triggers, recordConcurrency, (trigger) =>
    retryOnConflict(() => stepRecord(context, trigger)),
  );
  return steps.filter((step) => step !== undefined);
}

/** A step whose record state is written, with the version it wrote. */
interface CommittedStep {
  readonly step: RecordStep;
  readonly version: string | undefined;
}

/**
 * Writes each record state over the version its step read (the decision), then brings the sets
 * in line with the record states. A step that lost its write to another publish is stepped
 * again from the state that publish wrote; one that may have missed a change made meanwhile is
 * looked at again.
 */
async function applySteps(
  context: Context,
  options: PublishRunOptions,
  steps: readonly RecordStep[],
): Promise<{ sets: Map<string, SetStepResult>; steps: CommittedStep[] }> {
  const results = new Map<string, SetStepResult>();
  const done: CommittedStep[] = [];
  let pending = steps;
  for (let round = 1; pending.length > 0; round += 1) {
    const lost: RecordStep[] = [];
    const committed: CommittedStep[] = [];
    await mapLimited(pending, recordConcurrency, async (step) => {
      try {
        committed.push({ step, version: await writeRecordStep(options.state, step) });
      } catch (error) {
        if (!(error instanceof WriteConflictError) || round >= 8) throw error;
        lost.push(step);
      }
    });
    const touches = groupTouches(committed.map(({ step }) => step));
    const applied = await mapLimited([...touches], setConcurrency, ([folder, touched]) =>
      applySetChange({ site: context.site, state: options.state, output: options.output }, folder, touched),
    );
    for (const result of applied) mergeSet(results, result);
    done.push(...committed);
    const outdated = await mapLimited(committed, recordConcurrency, ({ step }) => lookAgain(context, step));
    const again = await mapLimited(
      [...lost.map((step) => ({ key: step.key })), ...outdated.filter((trigger) => trigger !== undefined)],
      recordConcurrency,
      (trigger) => retryOnConflict(() => stepRecord(context, trigger)),
    );
    pending = again.filter((step) => step !== undefined);
  }
  return { sets: results, steps: done };
}

/**
 * A step that found no record state wrote it where none was, and one that found the record gone
 * and no state wrote nothing: a publish that read the record before it changed (or went) may
 * have decided after this one looked. Looking once more after the write settles it. A new
 * record under an id of its own may be a moved one whose old key's deletion was decided
 * meanwhile: it is read again to keep that id.
 */
async function lookAgain(context: Context, step: RecordStep): Promise<RecordTrigger | undefined> {
  if (step.stateVersion !== undefined || step.delta === undefined) return undefined;
  if (!step.next.gone) {
    const body = await context.records.readRecord(step.key);
    if (body === undefined || unquote(body.etag) !== step.next.etag) return { key: step.key };
    const departed = isIdFromKey(step.key, step.next.id)
      ? await readDeparted(context.state, step.next.etag)
      : undefined;
    return departed && departed.key !== step.key && departed.id !== step.next.id
      ? { key: step.key, reread: true }
      : undefined;
  }
  const now = await context.state.read(stateKeys.record(step.key));
  return now !== undefined && now.text !== encodeState(step.next) ? { key: step.key } : undefined;
}

function groupTouches(steps: readonly RecordStep[]): Map<string, SetTouch[]> {
  type Merged = { periods: Set<string>; pages: Set<string>; again: boolean };
  const byFolder = new Map<string, Map<string, Merged>>();
  for (const step of steps) {
    for (const touch of step.touches) {
      const keys = byFolder.get(touch.folder) ?? new Map<string, Merged>();
      const known = keys.get(touch.key) ?? {
        periods: new Set<string>(),
        pages: new Set<string>(),
        again: false,
      };
      for (const period of touch.periods) known.periods.add(period);
      for (const page of touch.pages ?? []) known.pages.add(page);
      known.again ||= touch.again === true;
      keys.set(touch.key, known);
      byFolder.set(touch.folder, keys);
    }
  }
  return new Map(
    [...byFolder].map(([folder, keys]) => [
      folder,
      [...keys].map(([key, { periods, pages, again }]) => ({
        folder,
        key,
        periods: [...periods],
        ...(again ? { again } : {}),
        ...(pages.size > 0 ? { pages: [...pages] } : {}),
      })),
    ]),
  );
}

function mergeSet(results: Map<string, SetStepResult>, result: SetStepResult): void {
  const known = results.get(result.folder);
  results.set(
    result.folder,
    known
      ? {
          ...result,
          written: [...new Set([...known.written, ...result.written])],
          deleted: [...new Set([...known.deleted, ...result.deleted])],
        }
      : result,
  );
}

function mergeSets(a: Map<string, SetStepResult>, b: Map<string, SetStepResult>): Map<string, SetStepResult> {
  for (const result of b.values()) mergeSet(a, result);
  return a;
}

function countAfter(state: SiteState, steps: readonly CommittedStep[]): number {
  return steps.reduce(
    (count, { step }) => count + Number(step.delta?.exists ?? 0) - Number(step.delta?.existed ?? 0),
    state.records,
  );
}

async function readMainManifest(state: StateStore): Promise<SetManifest> {
  const key = stateKeys.manifest(mainSet);
  const stored = await state.read(key);
  return stored ? decodeManifest(stored.text, key) : emptyManifest(mainSet);
}

const emptyReport: PublishReport = {
  published: 0,
  drafts: 0,
  embargoed: 0,
  expired: 0,
  errors: [],
  warnings: [],
  keptLastGood: [],
};

function reportOf(state: SiteState, steps: readonly RecordStep[], now: Date): PublishReport {
  const errors: RecordError[] = Object.values(state.invalid).flatMap((entry) => entry.errors);
  return {
    published: state.counts.published,
    drafts: state.counts.draft,
    embargoed: state.counts.embargoed,
    expired: state.counts.expired,
    errors,
    // The holder of a contested id publishes: it is told, as a warning.
    warnings: steps.flatMap((step) => [...step.notices, ...(step.warnings ?? [])]),
    keptLastGood: Object.entries(state.invalid)
      .filter(([, entry]) => entry.keptLastGood)
      .map(([key]) => key),
    nextChangeAt: duePending(state, now).next,
  };
}
