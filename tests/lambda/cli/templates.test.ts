import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTree } from '../../helpers/local-publisher.ts';
import { runCli } from '../../helpers/run-cli.ts';
import { contentRoot } from '../../helpers/sample.ts';

let work: string;
let content: string;
let templates: string;
let out: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'cli-templates-'));
  content = join(work, 'content');
  templates = join(work, 'templates');
  out = join(work, 'public');
  await cp(contentRoot, content, { recursive: true });
  await mkdir(templates);
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

const publish = () => runCli(['publish', '--content', content, '--out', out]);

/** Every HTML page published, by path. */
async function pages(): Promise<Record<string, string>> {
  const tree = await readTree(out);
  return Object.fromEntries([...tree].filter(([path]) => path.endsWith('.html')));
}

describe('templates/ beside content/', () => {
  it('draws the pages with the site’s own template and the default theme for the rest', async () => {
    await writeFile(
      join(templates, 'article.liquid'),
      '<article class="newsroom"><h1>{{ article.title }}</h1>{{ article.content | raw }}</article>\n',
    );
    expect((await publish()).code).toBe(0);
    const articlePages = Object.entries(await pages()).filter(([path]) => path.startsWith('articles/'));
    expect(articlePages.length).toBeGreaterThan(0);
    for (const [, html] of articlePages) {
      expect(html).toContain('<article class="newsroom">');
      expect(html).toContain('<a class="skip" href="#main">'); // the default layout around it
    }
  });

  it.each([
    ['an unknown filter', '<p>\n{{ article.title | shout }}</p>', 2, 'undefined filter: shout'],
    ['a tag left open', '{% if article.title %}\n<p>x</p>\n', 1, 'not closed'],
    ['an include of a missing file', '<p>\n\n{% include "byline.liquid" %}</p>', 3, 'includes byline.liquid'],
  ])('names the file and line of %s and keeps the last good pages', async (_case, broken, line, reason) => {
    await writeFile(join(templates, 'article.liquid'), '<article class="good">{{ article.title }}</article>');
    await publish();
    const good = await pages();
    const remembered = async () =>
      (
        JSON.parse(await readFile(join(work, '.publisher', 'public', 'templates.json'), 'utf8')) as {
          templates: object;
        }
      ).templates;
    const state = await remembered();

    await writeFile(join(templates, 'article.liquid'), broken);
    const result = await publish();
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`templates/article.liquid:${line}: template: `);
    expect(result.stderr).toContain(reason);
    expect(result.stderr).toContain('kept:  templates/article.liquid');
    expect(result.stdout).toContain('1 template error');
    expect(await pages()).toEqual(good);
    expect(await remembered()).toEqual(state);

    const checked = await runCli(['validate', content]);
    expect(checked.code).toBe(1);
    expect(checked.stderr).toContain(`templates/article.liquid:${line}:`);
  });

  it('draws with the default theme again when a template is removed or never rendered', async () => {
    await publish();
    const plain = await pages();
    await writeFile(join(templates, 'header.liquid'), '<header>{% for link in page.links %}');
    const broken = await publish();
    expect(broken.stderr).toContain('templates/header.liquid:1:');
    expect(await pages()).toEqual(plain);

    await writeFile(join(templates, 'header.liquid'), '<header class="brand-new">{{ site.title }}</header>');
    await publish();
    expect(Object.values(await pages()).every((html) => html.includes('class="brand-new"'))).toBe(true);
    await rm(join(templates, 'header.liquid'));
    await publish();
    expect(await pages()).toEqual(plain);
  });

  it('rewrites pages, and no feed, when a template changes', async () => {
    await publish();
    await writeFile(join(templates, 'footer.liquid'), '<footer class="newsroom">{{ site.title }}</footer>');
    const result = await runCli(['publish', '--content', content, '--out', out, '--verbose']);
    const written = result.stdout
      .split('\n')
      .filter((line) => line.startsWith('wrote '))
      .map((line) => line.slice(10));
    expect(written.length).toBeGreaterThan(0);
    expect(written.every((path) => path.endsWith('.html'))).toBe(true);
  });

  it('warns about a template file no page uses, with the name it was likely meant to be', async () => {
    await writeFile(join(templates, 'artcle.liquid'), '<p>{{ article.title }}</p>');
    const result = await publish();
    expect(result.stderr).toContain(
      'warning: templates/artcle.liquid: template: is neither a template of the theme nor included by one, so it changes nothing; did you mean article.liquid?',
    );
  });

  it('takes the templates from --templates when they live elsewhere', async () => {
    const elsewhere = join(work, 'theme');
    await mkdir(elsewhere);
    await writeFile(join(elsewhere, 'footer.liquid'), '<footer class="elsewhere"></footer>');
    await runCli(['publish', '--content', content, '--out', out, '--templates', elsewhere]);
    expect((await pages())['index.html']).toContain('<footer class="elsewhere">');
  });
});
