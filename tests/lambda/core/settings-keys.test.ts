import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../lambda/core/hash.ts';
import { recordReadingVersion, renderVersion } from '../../../lambda/core/settings-keys.ts';
import { articleOf } from '../../../lambda/core/state/record-state.ts';
import { storeArticle } from '../../../lambda/core/stored-article.ts';
import { hostileRecords } from '../../fixtures/hostile-records.ts';
import { xssVectors } from '../../fixtures/xss-vectors.ts';
import { sampleBytes, sampleKey } from '../../helpers/sample.ts';
import { makeRecord, makeSite, planRecords } from '../../helpers/site.ts';

/**
 * What the code made of a fixed corpus, per pair of versions, oldest first. A change to reading or
 * rendering shows here as a new fingerprint: add an entry, with the version it belongs to bumped.
 */
interface VersionEntry {
  readonly reading: number;
  readonly rendering: number;
  readonly readingFingerprint: string;
  readonly renderingFingerprint: string;
}
const historyFile = new URL('./settings-versions.json', import.meta.url);
const history = JSON.parse(readFileSync(historyFile, 'utf8')) as VersionEntry[];

/** Every kind of record and every awkward field: the sample, Markdown, hostile text, XSS vectors. */
function corpus() {
  const day = (n: number) => new Date(Date.UTC(2025, 0, 1) + n * 86_400_000).toISOString();
  return [
    makeRecord(sampleKey, new TextDecoder().decode(sampleBytes())),
    makeRecord(
      'articles/markdown.md',
      `---\ntitle: "Markdown *story*"\ndate: ${day(1)}\ncategories: [World, Économie]\nauthors: [{ name: A. Writer }]\n---\n# Heading\n\nText with [a link](/x) and **bold**.\n`,
    ),
    ...hostileRecords.map((record, index) =>
      makeRecord(`articles/hostile-${index}.json`, {
        date: day(index + 2),
        content_text: `Body ${index}`,
        categories: ['Hostile'],
        ...record.fields,
      }),
    ),
    ...xssVectors.map((vector, index) =>
      makeRecord(`articles/xss-${index}.json`, {
        title: `Vector ${index}`,
        date: day(index % 300),
        summary: vector,
        content_html: vector,
      }),
    ),
  ];
}

function fingerprints() {
  const build = planRecords(corpus(), { site: makeSite({ archivePeriod: 'month', maxItems: 20 }) });
  const read = build.state.records.map((state) => {
    const article = articleOf(state);
    return { key: state.key, article: article && storeArticle(article), errors: state.errors };
  });
  const files = build.files.map(({ path, contentType, cacheControl, body }) => [
    path,
    contentType,
    cacheControl,
    body,
  ]);
  return {
    readingFingerprint: sha256Hex(JSON.stringify(read)),
    renderingFingerprint: sha256Hex(JSON.stringify(files)),
  };
}

describe('reading and rendering versions', () => {
  it('change whenever what a fixed corpus reads or renders as changes', () => {
    const current = fingerprints();
    const entry = history.find(
      (candidate) => candidate.reading === recordReadingVersion && candidate.rendering === renderVersion,
    );
    const advice =
      'reading or rendering output changed: bump recordReadingVersion (what records read as changed) or ' +
      'renderVersion (only the files changed) in lambda/core/settings-keys.ts, and add an entry to ' +
      `tests/lambda/core/settings-versions.json: ${JSON.stringify({ reading: recordReadingVersion, rendering: renderVersion, ...current })}`;
    expect(entry && { ...entry }, advice).toEqual({
      reading: recordReadingVersion,
      rendering: renderVersion,
      ...current,
    });
  });

  it('bumps the version that belongs to each change in the history', () => {
    for (const [index, entry] of history.entries()) {
      const before = history[index - 1];
      if (!before) continue;
      const readingChanged = entry.readingFingerprint !== before.readingFingerprint;
      const renderingChanged = entry.renderingFingerprint !== before.renderingFingerprint;
      // New reading re-reads every record (and so renders what changed); a rendering change alone needs its own bump.
      if (readingChanged) expect(entry.reading, `entry ${index}`).toBeGreaterThan(before.reading);
      else if (renderingChanged) expect(entry.rendering, `entry ${index}`).toBeGreaterThan(before.rendering);
      expect(entry.reading >= before.reading && entry.rendering >= before.rendering, `entry ${index}`).toBe(
        true,
      );
    }
  });
});
