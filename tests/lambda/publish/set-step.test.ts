import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mainSet } from '../../../lambda/core/feed-sets/feed-set.ts';
import { readArticle } from '../../../lambda/core/records/read-article.ts';
import { decodeManifest, encodeState } from '../../../lambda/core/state/codec.ts';
import { placementOf, type SetTouch } from '../../../lambda/core/state/record-state.ts';
import { stateKeys } from '../../../lambda/core/state/state-keys.ts';
import { storeArticle } from '../../../lambda/core/stored-article.ts';
import { applySetChange } from '../../../lambda/publish/set-step.ts';
import { FsOutputStore, FsStateStore } from '../../../lambda/stores/fs.ts';
import type { StateStore } from '../../../lambda/stores/ports.ts';
import { fixedNow, makeRecord, makeSite } from '../../helpers/site.ts';

const site = makeSite({ maxItems: 2, archivePeriod: 'month' });
let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'set-step-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A record whose state places its article in the main set, as a record step would have decided. */
async function placed(store: StateStore, key: string, title: string, date: string): Promise<SetTouch> {
  const read = readArticle(makeRecord(key, { title, date, content_text: `${title}.` }), site, undefined);
  if (!read.article) throw new Error(`fixture ${key} is invalid: ${JSON.stringify(read.errors)}`);
  const { placed } = placementOf(read.article, fixedNow, site.archivePeriod);
  await store.write(
    stateKeys.record(key),
    encodeState({ key, etag: key, article: storeArticle(read.article), placed }),
    { version: undefined },
  );
  return { folder: mainSet, key, periods: [] };
}

/** A promise to wait on and the function that ends the wait. */
function signal() {
  let fire = () => {};
  const fired = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return { fire, fired };
}

/**
 * The real folder state store, seen through one publisher's eyes: before its first operation that
 * matches, it waits for a signal, and after that operation it fires one. This is how two
 * publishes are made to interleave exactly as the test says.
 */
function scripted(
  store: StateStore,
  steps: {
    op: 'read' | 'write';
    key: (key: string) => boolean;
    after?: Promise<void>;
    signals?: () => void;
  }[],
): StateStore {
  const pending = [...steps];
  const take = (op: 'read' | 'write', key: string) => {
    const index = pending.findIndex((step) => step.op === op && step.key(key));
    return index < 0 ? undefined : pending.splice(index, 1)[0];
  };
  return {
    async read(key) {
      const step = take('read', key);
      await step?.after;
      const result = await store.read(key);
      step?.signals?.();
      return result;
    },
    async write(key, text, expected) {
      const step = take('write', key);
      await step?.after;
      try {
        return await store.write(key, text, expected);
      } finally {
        step?.signals?.();
      }
    },
    delete: (key, expected) => store.delete(key, expected),
    list: (prefix) => store.list(prefix),
  };
}

describe('applySetChange', () => {
  it('keeps both articles when two publishes add to the same new archive period at once', async () => {
    const store = new FsStateStore(join(root, 'state'));
    const output = new FsOutputStore(join(root, 'public'));
    await applySetChange({ site, state: store, output }, mainSet, [
      await placed(store, 'articles/new-1.json', 'New 1', '2025-06-01T00:00:00Z'),
      await placed(store, 'articles/new-2.json', 'New 2', '2025-06-02T00:00:00Z'),
    ]);
    const oldA = await placed(store, 'articles/old-a.json', 'Old A', '2023-03-05T00:00:00Z');
    const oldB = await placed(store, 'articles/old-b.json', 'Old B', '2023-03-20T00:00:00Z');
    const manifest = stateKeys.manifest(mainSet);
    const isManifest = (key: string) => key === manifest;
    const isShard = (key: string) => key.startsWith(stateKeys.shardsPrefix(mainSet));
    const firstRead = signal();
    const firstShardWritten = signal();
    const secondShardWritten = signal();
    const firstCommitted = signal();
    // Both read the manifest; the first writes its period, then the second; the first commits,
    // then the second tries to and loses.
    const first = scripted(store, [
      { op: 'read', key: isManifest, signals: firstRead.fire },
      { op: 'write', key: isShard, signals: firstShardWritten.fire },
      { op: 'write', key: isManifest, after: secondShardWritten.fired, signals: firstCommitted.fire },
    ]);
    const second = scripted(store, [
      { op: 'read', key: isManifest, after: firstRead.fired },
      { op: 'read', key: isShard, after: firstShardWritten.fired },
      { op: 'write', key: isShard, after: firstShardWritten.fired, signals: secondShardWritten.fire },
      { op: 'write', key: isManifest, after: firstCommitted.fired },
    ]);
    await Promise.all([
      applySetChange({ site, state: first, output }, mainSet, [oldA]),
      applySetChange({ site, state: second, output }, mainSet, [oldB]),
    ]);

    const stored = await store.read(manifest);
    expect(decodeManifest(stored?.text ?? '', manifest).periods).toEqual({ '2023-03': 2 });
    const page = JSON.parse((await output.read('archive/2023-03/feed.json'))?.text ?? '{}') as {
      items: { title: string }[];
    };
    expect(page.items.map((item) => item.title)).toEqual(['Old B', 'Old A']);
  });
});
