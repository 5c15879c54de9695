import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomUtils, parseDocument } from 'htmlparser2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingServer } from '../../helpers/recording-server.ts';
import { runCli } from '../../helpers/run-cli.ts';
import { contentRoot } from '../../helpers/sample.ts';
import { serveFolder } from '../../helpers/static-server.ts';

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
      expect(result.stdout).toContain(`3 of 3 items written as records`);
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
    expect(result.stdout).toContain('0 of 3 items written as records');
  });

  it.each([
    [['import'], 2, 'import needs a feed file or URL'],
    [['import', 'no-such-feed.xml'], 2, 'no-such-feed.xml does not exist'],
    [['import', 'package.json'], 1, 'is JSON but not a JSON Feed'],
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

describe('import tells the truth and stays bounded', () => {
  const rss = (items: string) =>
    `<?xml version="1.0"?>\n<rss version="2.0"><channel><title>T</title><link>https://e.com/</link><description>D</description>${items}</channel></rss>`;
  const dated =
    '<item><title>Dated</title><guid>a</guid><pubDate>Mon, 03 Jun 2024 07:15:00 GMT</pubDate><description>x</description></item>';
  const undated = '<item><title>Undated</title><guid>b</guid><description>y</description></item>';
  let server: Awaited<ReturnType<typeof startRecordingServer>>;
  beforeAll(async () => {
    server = await startRecordingServer((request, response) => {
      const hops = /^\/hop\/(\d+)$/.exec(request.path);
      if (hops) {
        const left = Number(hops[1]);
        response.writeHead(302, { location: left === 0 ? '/feed.xml' : `/hop/${left - 1}` }).end();
      } else if (request.path === '/to-file')
        response.writeHead(301, { location: 'file:///etc/passwd' }).end();
      else if (request.path === '/to-port')
        response.writeHead(301, { location: 'http://127.0.0.1:22/feed.xml' }).end();
      else if (request.path === '/big.xml')
        response.writeHead(200).end(rss(dated.replace('>x<', `>${'x'.repeat(2 ** 21)}<`)));
      else response.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(dated + undated));
    });
  });
  afterAll(() => server.close());

  it('counts the items of the feed, not only the records it could write', async () => {
    const result = await runCli(['import', `${server.url}/feed.xml`, '--into', join(work, 'counted')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('1 of 2 items written as records');
    expect(result.stdout).toContain('1 left out (see the notes)');
    expect(result.stderr).toMatch(/note: {2}item 2 \("Undated"\): /);
  });

  it.each([
    ['up to 5 redirects', '/hop/4', 0, '1 of 2 items written'],
    ['no more than 5 redirects', '/hop/5', 1, 'redirects more than 5 times'],
    ['a redirect only to http(s)', '/to-file', 1, 'only http(s) redirects are followed'],
    ['a redirect not to another port', '/to-port', 1, 'redirects to port 22'],
  ])('follows %s', async (_what, path, code, message) => {
    const result = await runCli([
      'import',
      `${server.url}${path}`,
      '--into',
      join(work, `hops${path.replace(/\//g, '-')}`),
    ]);
    expect(result.code).toBe(code);
    expect(code === 0 ? result.stdout : result.stderr).toContain(message);
  });

  it('refuses a download over the byte limit, and takes it when the limit is raised', async () => {
    const refused = await runCli([
      'import',
      `${server.url}/big.xml`,
      '--into',
      join(work, 'big'),
      '--max-mb',
      '1',
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('is larger than 1048576 bytes; raise the limit with --max-mb');
    const taken = await runCli([
      'import',
      `${server.url}/big.xml`,
      '--into',
      join(work, 'big'),
      '--max-mb',
      '8',
      '--quiet',
    ]);
    expect(taken.code).toBe(0);
  });

  it.each([
    [
      'a DOCTYPE',
      '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "aaaa">]>\n<rss version="2.0"></rss>',
      'refused: line 2 declares a DOCTYPE; a feed needs none',
    ],
    [
      'XML that is not well formed',
      '<?xml version="1.0"?>\n<rss version="2.0">\n<channel><title>T</titel></channel></rss>',
      'is not well-formed XML: line 3, column ',
    ],
    ['XML that is not a feed', '<?xml version="1.0"?>\n<html><body/></html>', 'its root element is <html>'],
    [
      'JSON that is broken',
      '{\n  "version": "https://jsonfeed.org/version/1.1",\n  "items": [,]\n}',
      'is not valid JSON: ',
    ],
  ])('says why it refuses %s', async (_what, text, message) => {
    const file = join(work, `refused-${_what.replace(/\W+/g, '-')}.xml`);
    await writeFile(file, text);
    const result = await runCli(['import', file, '--into', join(work, 'refused')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
  });
});
