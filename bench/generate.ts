import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mapLimited } from '../lambda/core/async-lists.ts';

/** A newsroom's pace: a story an hour, so 100,000 records span eleven years of daily archive pages. */
export const storyIntervalMs = 3_600_000;
export const firstStory = Date.UTC(2015, 0, 1);

export const benchSite = {
  title: 'Bench Wire',
  description: 'Benchmark feeds',
  siteUrl: 'https://www.example.com/',
  feedBaseUrl: 'https://feeds.example.com/',
  timezone: 'Europe/Berlin',
  archivePeriod: 'day',
};

const paragraph = 'The council met on Tuesday to discuss the budget, which grew by four percent. '.repeat(6);

/** Record `index` (about 3 KB) in one of the three formats; `revision` changes its title. */
export function recordOf(index: number, revision = 0): { key: string; text: string } {
  const date = new Date(firstStory + index * storyIntervalMs);
  const iso = date.toISOString();
  const title = `Story ${index}${revision > 0 ? ` (revision ${revision})` : ''}`;
  const category = `Section ${index % 10}`;
  if (index % 3 === 0) {
    return {
      key: `articles/${iso.slice(0, 4)}/${index}.md`,
      text: `---\ntitle: "${title}"\ndate: ${iso}\ncategories: ["${category}"]\nsummary: Summary of story ${index}\n---\n${paragraph}\n\n**${paragraph}**\n\n${paragraph}\n`,
    };
  }
  if (index % 3 === 1) {
    const month = date.toLocaleString('en', { month: 'long', timeZone: 'UTC' });
    return {
      key: `articles/${iso.slice(0, 4)}/${index}.txt`,
      text: [
        `date ${iso.slice(0, 10)}`,
        title,
        category,
        `${month} ${date.getUTCDate()}, ${iso.slice(11, 16)} UTC+0 BERLIN`,
        `Lead of story ${index}.`,
        `BERLIN, ${month} ${date.getUTCDate()}. /WIRE/. ${paragraph}`,
        paragraph,
        paragraph,
      ].join('\n\n'),
    };
  }
  const record = {
    title,
    date: iso,
    summary: `Summary of story ${index}`,
    categories: [category],
    authors: [{ name: `Writer ${index % 7}` }],
    content_html: `<p>${paragraph}</p><p><a href="/related/${index}">Related</a> ${paragraph}</p><p>${paragraph}</p>`,
  };
  return { key: `articles/${iso.slice(0, 4)}/${index}.json`, text: JSON.stringify(record) };
}

/** Writes `count` records and site.json into `root`, replacing whatever was there. */
export async function generateContent(root: string, count: number): Promise<void> {
  await rm(root, { recursive: true, force: true });
  await mkdir(join(root, 'articles'), { recursive: true });
  await writeFile(join(root, 'site.json'), JSON.stringify(benchSite));
  const indexes = Array.from({ length: count }, (_, index) => index);
  const folders = new Set(indexes.map((index) => recordOf(index).key.split('/')[1]));
  for (const folder of folders) await mkdir(join(root, 'articles', folder ?? ''), { recursive: true });
  await mapLimited(indexes, 32, async (index) => {
    const { key, text } = recordOf(index);
    await writeFile(join(root, ...key.split('/')), text);
  });
}
