import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { articleId } from '../../lambda/core/records/article-id.ts';
import { articlePagePath } from '../../lambda/core/render/article-address.ts';

export const sampleKey = 'articles/000_9444c1069fa391d1.txt';
export const contentRoot = fileURLToPath(new URL('../../content/', import.meta.url));

/** The sample article, byte for byte as committed in content/. */
export function sampleBytes(): Uint8Array {
  return new Uint8Array(readFileSync(`${contentRoot}${sampleKey}`));
}

/** What the sample article must come out as, in every format. */
export const sampleExpectations = {
  title: 'Senior official says Kyrgyzstan is interested in military cooperation with Russia',
  summary: "Kyrgyzstan's deputy PM comments on the relations with Russia",
  category: 'World',
  published: '2017-08-18T15:03:00.000Z',
  source: 'TASS',
  dateline: 'BISHKEK',
  caption: "Kyrgyzstan's tank seen during Tank Biathlon competition at Alabino Firing Range in Russia",
  credit: '© Dmitry Serebryakov/TASS',
  paragraphOpenings: [
    'BISHKEK, August 18. /TASS/. Kyrgyzstan is considering',
    'Last year, Kyrgyzstan and Russia managed',
    'According to Razakov, cooperation between',
    'Bochkaryov explained, in his turn,',
    'These working groups will collaborate',
  ],
} as const;

/** Every feed file and page that publishing content/ writes, sorted. */
export const contentFeedFiles = [
  // The sample news article has no url: it gets a page of its own, named after its id.
  articlePagePath({ id: articleId(sampleKey, undefined) }),
  // Each set's archive index, listing its periods (none yet: every article is in the feeds).
  'archive/index.html',
  'atom.xml',
  // The list of categories, linked from every page's header.
  'categories/index.html',
  ...['economy', 'transport', 'world'].flatMap((slug) =>
    ['archive/index.html', 'atom.xml', 'feed.json', 'index.html', 'rss.xml'].map(
      (name) => `categories/${slug}/${name}`,
    ),
  ),
  'feed.json',
  'index.html',
  'rss.xml',
].sort();
