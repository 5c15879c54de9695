import { StateReadError } from '../core/state/codec.ts';
import { type StateStore, WriteConflictError } from '../stores/ports.ts';

/**
 * The one rebuild that may run on a state, in this process (the CLI, a handler without a rebuild
 * queue) or spread over the queue: two at once would each delete what the other placed.
 */
export interface RebuildLease {
  readonly id: string;
  readonly startedAt: string;
  /** When the rebuild last finished a step: its liveness comes from progress, not from age. */
  readonly progressAt: string;
  /** Which process holds it (`host:pid`), for a rebuild in one process; absent for a queued job. */
  readonly owner?: string;
}

/** Another rebuild holds the lease: this one does not start. */
export class RebuildRunningError extends Error {
  override readonly name = 'RebuildRunningError';
}

export const leaseKey = 'rebuilds/current.json';

/** A rebuild that made no progress for this long is taken to have died, and may be taken over. */
export const staleAfterMs = 15 * 60 * 1000;

/** Tells whether the process named in a lease still runs (the CLI knows its own host's). */
export type OwnerCheck = (owner: string) => boolean;

/** The lease, live or not: a stale one is a rebuild that stopped, to resume or take over. */
export async function leaseState(
  state: StateStore,
  now: Date,
  isOwnerAlive?: OwnerCheck,
): Promise<{ readonly lease?: RebuildLease; readonly live: boolean }> {
  const stored = await state.read(leaseKey);
  if (!stored) return { live: false };
  const lease = decodeLease(stored.text);
  return { lease, live: isLive(lease, now, isOwnerAlive) };
}

/** The live lease, if any: one that progressed lately and whose owner, if known, still runs. */
export async function readLease(
  state: StateStore,
  now: Date,
  isOwnerAlive?: OwnerCheck,
): Promise<(RebuildLease & { readonly version: string }) | undefined> {
  const stored = await state.read(leaseKey);
  if (!stored) return undefined;
  const lease = decodeLease(stored.text);
  if (!isLive(lease, now, isOwnerAlive)) return undefined;
  return { ...lease, version: stored.version };
}

/**
 * Takes the lease for a new rebuild, created only if absent (or over a dead one's, only if still
 * that one): of two rebuilds starting at once exactly one gets it. Throws RebuildRunningError
 * naming the one that runs.
 */
export async function takeLease(
  state: StateStore,
  lease: RebuildLease,
  isOwnerAlive?: OwnerCheck,
): Promise<void> {
  const stored = await state.read(leaseKey);
  if (stored) {
    const held = decodeLease(stored.text);
    if (isLive(held, new Date(lease.startedAt), isOwnerAlive)) throw runningError(held);
  }
  try {
    await state.write(leaseKey, encodeLease(lease), { version: stored?.version });
  } catch (error) {
    if (!(error instanceof WriteConflictError)) throw error;
    const now = await state.read(leaseKey);
    throw runningError(now ? decodeLease(now.text) : lease);
  }
}

/** Notes progress; a lost race means another step of the same job just did. */
export async function touchLease(state: StateStore, id: string, now: Date): Promise<void> {
  const stored = await state.read(leaseKey);
  if (!stored) return;
  const lease = decodeLease(stored.text);
  if (lease.id !== id || lease.progressAt >= now.toISOString()) return;
  await state
    .write(leaseKey, encodeLease({ ...lease, progressAt: now.toISOString() }), { version: stored.version })
    .catch((error: unknown) => {
      if (!(error instanceof WriteConflictError)) throw error;
    });
}

/** Gives the lease up, if it is still this rebuild's. */
export async function releaseLease(state: StateStore, id: string): Promise<void> {
  const stored = await state.read(leaseKey);
  if (!stored || decodeLease(stored.text).id !== id) return;
  await state.delete(leaseKey, { version: stored.version }).catch((error: unknown) => {
    if (!(error instanceof WriteConflictError)) throw error;
  });
}

function isLive(lease: RebuildLease, now: Date, isOwnerAlive?: OwnerCheck): boolean {
  if (lease.owner !== undefined && isOwnerAlive && !isOwnerAlive(lease.owner)) return false;
  return now.getTime() - Date.parse(lease.progressAt) < staleAfterMs;
}

function runningError(lease: RebuildLease): RebuildRunningError {
  const who = lease.owner ? ` by ${lease.owner}` : '';
  return new RebuildRunningError(
    `a rebuild started at ${lease.startedAt}${who} is still running on this state (last progress ${lease.progressAt}); publish again when it has finished (one that stopped is taken over after ${staleAfterMs / 60_000} minutes without progress)`,
  );
}

function encodeLease(lease: RebuildLease): string {
  return `${JSON.stringify(lease)}\n`;
}

function decodeLease(text: string): RebuildLease {
  const value = JSON.parse(text) as Partial<RebuildLease> & { readonly startedAt?: string };
  if (typeof value.id !== 'string' || typeof value.startedAt !== 'string') {
    throw new StateReadError(`${leaseKey} must hold {id, startedAt, progressAt}`);
  }
  // A lease from before progress was noted counts from its start.
  return {
    ...value,
    id: value.id,
    startedAt: value.startedAt,
    progressAt: value.progressAt ?? value.startedAt,
  };
}
