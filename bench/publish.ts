/**
 * Publish benchmark: how long the pure core takes to turn N records into every file, and how much
 * memory it holds, from an empty state (first publish) and from the previous state with one record
 * changed (the common case). Prints a Markdown table; results go in docs/benchmarks.md.
 *
 *   npm run bench              # 100, 1,000 and 10,000 records
 *   npm run bench -- 50000     # other sizes
 */
import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { SourceRecord } from '../lambda/core/model.ts';
import { plan, recordsToRead } from '../lambda/core/plan.ts';
import { versionOf } from '../lambda/core/records/content-tag.ts';
import { siteDefaults } from '../lambda/core/site-config.ts';
import { emptyState, readState, writeState } from '../lambda/core/state.ts';

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((size) => size > 0);
const runs = 5;
const site = {
  title: 'Bench Wire',
  description: 'Benchmark feeds',
  siteUrl: 'https://www.example.com/',
  feedBaseUrl: 'https://feeds.example.com/',
  ...siteDefaults,
  timezone: 'Europe/Berlin',
};
const encoder = new TextEncoder();
const paragraph = 'The council met on Tuesday to discuss the budget, which grew by four percent. '.repeat(6);

/** Records of realistic size (about 3 KB), ten categories; `revision` edits the newest one, as editors usually do. */
function makeRecords(count: number, revision = 0): SourceRecord[] {
  return Array.from({ length: count }, (_, index) => {
    const date = new Date(Date.UTC(2020, 0, 1) + index * 3_600_000).toISOString();
    const title = `Story ${index}${index === count - 1 ? ` (revision ${revision})` : ''}`;
    const category = `Section ${index % 10}`;
    if (index % 3 === 0) {
      const body = `---\ntitle: ${title}\ndate: ${date}\ncategories: [${category}]\nsummary: Summary of story ${index}\n---\n${paragraph}\n\n**${paragraph}**\n\n${paragraph}`;
      return { key: `articles/${index}.md`, body: encoder.encode(body) };
    }
    const record = {
      title,
      date,
      summary: `Summary of story ${index}`,
      categories: [category],
      authors: [{ name: `Writer ${index % 7}` }],
      content_html: `<p>${paragraph}</p><p><a href="/related/${index}">Related</a> ${paragraph}</p><p>${paragraph}</p>`,
    };
    return { key: `articles/${index}.json`, body: encoder.encode(JSON.stringify(record)) };
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function measure(run: () => unknown): { ms: number; heapMiB: number } {
  const times: number[] = [];
  let heap = 0;
  for (let index = 0; index < runs; index += 1) {
    globalThis.gc?.();
    const started = performance.now();
    const result = run();
    times.push(performance.now() - started);
    heap = Math.max(heap, process.memoryUsage().heapUsed);
    if (!result) throw new Error('no result');
  }
  return { ms: median(times), heapMiB: heap / 2 ** 20 };
}

const now = new Date('2026-01-01T00:00:00Z');
console.log(
  `node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, ${new Date().toISOString().slice(0, 10)}`,
);
console.log(`median of ${runs} runs\n`);
console.log(
  '| records | first publish (ms) | one record changed (ms) | same, every record read again (ms) | state size (MiB) | state write + read (ms) | files | peak heap (MiB) |',
);
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const size of sizes.length > 0 ? sizes : [100, 1000, 10000]) {
  const records = makeRecords(size);
  // Listings come from the store (S3 ETags) outside the core, so they are not timed.
  const listing = records.map(versionOf);
  const first = plan({ site, listing, records, previous: emptyState, now });
  const firstRun = measure(() => plan({ site, listing, records, previous: emptyState, now }));
  const changed = makeRecords(size, 1);
  const changedListing = changed.map(versionOf);
  const changedRun = measure(() => {
    const keys = new Set(recordsToRead(changedListing, first.state, site));
    const toRead = changed.filter((record) => keys.has(record.key));
    return plan({
      site,
      listing: changedListing,
      records: toRead,
      previous: first.state,
      now,
      renderAll: false,
    });
  });
  const rereadRun = measure(() =>
    plan({ site, listing: changedListing, records: changed, previous: first.state, now }),
  );
  // The run around the core serializes the state and parses it back every publish.
  const stateText = writeState(first.state);
  const stateRun = measure(() => readState(writeState(first.state)));
  const rss = process.memoryUsage().rss / 2 ** 20;
  const heap = Math.max(firstRun.heapMiB, changedRun.heapMiB, rereadRun.heapMiB);
  console.log(
    `| ${size.toLocaleString('en')} | ${firstRun.ms.toFixed(0)} | ${changedRun.ms.toFixed(0)} | ${rereadRun.ms.toFixed(0)} | ${(stateText.length / 2 ** 20).toFixed(1)} | ${stateRun.ms.toFixed(0)} | ${first.files.length} | ${heap.toFixed(0)} (rss ${rss.toFixed(0)}) |`,
  );
}
