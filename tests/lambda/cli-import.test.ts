import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomUtils, parseDocument } from 'htmlparser2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { contentRoot } from '../helpers/sample.ts';
import { serveFolder } from '../helpers/static-server.ts';

let work: string;
let site: Awaited<ReturnType<typeof serveFolder>>;

interface JsonItem {
  id: string;
  title: string;
  date_published: string;
  date_modified: string;
  content_html: string;
  url: string;
}

/** Publishes a content folder with the CLI and answers its JSON Feed's items. */
async function publish(content: string, out: string): Promise<JsonItem[]> {
  const result = await runCli([
    'publish',
    '--content',
    content,
    '--out',
    out,
    '--state',
    `${out}-state`,
    '--quiet',
  ]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return (JSON.parse(await readFile(join(out, 'feed.json'), 'utf8')) as { items: JsonItem[] }).items;
}

/** An empty content folder with the sample's site.json. */
async function emptyContent(name: string): Promise<string> {
  const content = join(work, name);
  await mkdir(join(content, 'articles'), { recursive: true });
  await cp(join(contentRoot, 'site.json'), join(content, 'site.json'));
  return content;
}

/** HTML as a parser reads it: `&#39;` and `'` are the same text. */
const sameHtml = (html: string) => DomUtils.getOuterHTML(parseDocument(html), { encodeEntities: 'utf8' });

const essentials = (items: readonly JsonItem[]) =>
  items.map(({ id, title, date_published, date_modified, content_html, url }) => ({
    id,
    title,
    date_published,
    date_modified,
    content_html: sameHtml(content_html),
    url,
  }));

let original: JsonItem[];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'import-'));
  original = await publish(contentRoot, join(work, 'original'));
  site = await serveFolder(join(work, 'original'));
});

afterAll(async () => {
  await site?.close();
  await rm(work, { recursive: true, force: true });
});

describe('import', () => {
  it.each(['rss.xml', 'atom.xml', 'feed.json'])(
    'brings the published %s back from a file: the same ids, titles, dates, content and links',
    async (feed) => {
      const content = await emptyContent(`from-${feed}`);
      const result = await runCli([
        'import',
        join(work, 'original', feed),
        '--into',
        join(content, 'articles'),
      ]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`3 of 3 records written`);
      const again = await publish(content, join(work, `again-${feed}`));
      const expected = essentials(original);
      // RSS has no modification date: an item comes back with its publication date as both.
      const compared =
        feed === 'rss.xml'
          ? expected.map((item) => ({ ...item, date_modified: item.date_published }))
          : expected;
      expect(essentials(again)).toEqual(compared);
    },
  );

  it('reads a feed from a URL', async () => {
    const content = await emptyContent('from-url');
    const result = await runCli(['import', `${site.url}atom.xml`, '--into', join(content, 'articles')]);
    expect(result.code).toBe(0);
    const again = await publish(content, join(work, 'again-url'));
    expect(again.map((item) => item.id)).toEqual(original.map((item) => item.id));
  });

  it('never overwrites a record already there, and says so', async () => {
    const into = join(work, 'twice');
    await runCli(['import', join(work, 'original', 'atom.xml'), '--into', into]);
    const [first] = (await readdir(into)).sort();
    await writeFile(join(into, first ?? ''), '{"edited": true}\n');
    const result = await runCli(['import', join(work, 'original', 'atom.xml'), '--into', into]);
    expect(result.stderr).toContain(`kept:  ${join(into, first ?? '')}: a different file is already there`);
    expect(await readFile(join(into, first ?? ''), 'utf8')).toBe('{"edited": true}\n');
    expect(result.stdout).toContain('0 of 3 records written');
  });

  it.each([
    [['import'], 2, 'import needs a feed file or URL'],
    [['import', 'no-such-feed.xml'], 2, 'no-such-feed.xml does not exist'],
    [['import', 'package.json'], 1, 'not an RSS, Atom or JSON feed it can read'],
  ])('%j exits %i saying what is wrong', async (args, code, message) => {
    const result = await runCli(args);
    expect(result.code).toBe(code);
    expect(result.stderr).toContain(message);
  });

  it('fails with the status when a URL does not answer with a feed', async () => {
    const result = await runCli(['import', `${site.url}missing.xml`, '--into', join(work, 'none')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('HTTP 404');
  });
});
