import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { feedTitles, readTree } from '../../helpers/local-publisher.ts';
import { runCli } from '../../helpers/run-cli.ts';
import { contentRoot } from '../../helpers/sample.ts';

const cli = ['--import', 'tsx', 'lambda/cli/cli.ts'];

let work: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'cli-'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('cli', () => {
  it('publish writes the feeds and says how many files in one line, each one with --verbose', async () => {
    const result = await runCli(['publish', '--content', contentRoot, '--out', join(work, 'public')]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual([
      `${join(work, 'public')}/: 22 files written (--verbose lists them)`,
      expect.stringMatching(
        /^3 published, 0 embargoed, 0 drafts, 0 expired; 0 record errors, 0 warnings; took /,
      ),
    ]);
    await rm(join(work, 'public', 'rss.xml'));
    await rm(join(work, 'public', 'categories', 'world', 'atom.xml'));
    const verbose = await runCli([
      'publish',
      '--content',
      contentRoot,
      '--out',
      join(work, 'public'),
      '--verbose',
    ]);
    expect(verbose.stdout).toContain('restored  rss.xml\n');
    expect(verbose.stdout).toContain('restored  categories/world/atom.xml\n');
    expect(verbose.stdout).toContain('/public/: 2 files written\n');
    const again = await runCli(['publish', '--content', contentRoot, '--out', join(work, 'public')]);
    expect(again.stdout).toContain('/public/: up to date, nothing to write');
    expect((await readdir(join(work, 'public'))).sort()).toEqual([
      'archive',
      'articles',
      'atom.xml',
      'categories',
      'feed.json',
      'index.html',
      'rss.xml',
    ]);
  });

  it('publish keeps its state in .publisher/<output>/ beside the output, or where --state says', async () => {
    await runCli(['publish', '--content', contentRoot, '--out', join(work, 'public')]);
    expect((await readdir(work)).sort()).toEqual(['.publisher', 'public']);
    expect(await readdir(join(work, '.publisher', 'public'))).toContain('publisher.json');
    const inside = await runCli([
      'publish',
      '--content',
      contentRoot,
      '--out',
      join(work, 'public'),
      '--state',
      join(work, 'public', 'state'),
    ]);
    expect(inside.code).toBe(2);
    expect(inside.stderr).toContain('is inside --out');
  });

  it('gives a deleted output folder back, and says so', async () => {
    const out = join(work, 'public');
    await runCli(['publish', '--content', contentRoot, '--out', out]);
    const before = await readTree(out);
    await rm(out, { recursive: true });
    const result = await runCli(['publish', '--content', contentRoot, '--out', out]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`restored ${before.size} files that were missing from ${out}/`);
    expect(await readTree(out)).toEqual(before);
  });

  it('publishes a second output in full, with a state of its own', async () => {
    await runCli(['publish', '--content', contentRoot, '--out', join(work, 'public')]);
    const other = await runCli(['publish', '--content', contentRoot, '--out', join(work, 'other')]);
    expect(other.code).toBe(0);
    expect(await readTree(join(work, 'other'))).toEqual(await readTree(join(work, 'public')));
    expect((await readdir(join(work, '.publisher'))).sort()).toEqual(['other', 'public']);
  });

  it('refuses a state that belongs to another output, naming both', async () => {
    const state = join(work, 'state');
    await runCli(['publish', '--content', contentRoot, '--out', join(work, 'public'), '--state', state]);
    const result = await runCli([
      'publish',
      '--content',
      contentRoot,
      '--out',
      join(work, 'other'),
      '--state',
      state,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('this state describes the output ../public, not ../other');
  });

  it('refuses to publish another content folder over an output unless asked to rebuild', async () => {
    const out = join(work, 'public');
    const content = join(work, 'content');
    await mkdir(join(content, 'articles'), { recursive: true });
    await copyFile(join(contentRoot, 'site.json'), join(content, 'site.json'));
    await writeFile(
      join(content, 'articles', 'only.json'),
      JSON.stringify({ title: 'Only', date: '2024-01-01', content_text: 'x' }),
    );
    await runCli(['publish', '--content', contentRoot, '--out', out]);
    const refused = await runCli(['publish', '--content', content, '--out', out]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /was published from \S+, not \.\.\/\.\.\/content: publishing would remove every article \.\.\/\.\.\/content lacks/,
    );
    const replaced = await runCli(['publish', '--content', content, '--out', out, '--rebuild']);
    expect(replaced.code).toBe(0);
    expect(replaced.stdout).toContain('1 published');
    const again = await runCli(['publish', '--content', content, '--out', out]);
    expect(again.code).toBe(0);
  });

  it('takes over the shared state folder of earlier versions for the output published first', async () => {
    const out = join(work, 'public');
    const state = join(work, '.publisher');
    await runCli(['publish', '--content', contentRoot, '--out', out, '--state', state]);
    // As an earlier version left it: no record of its output.
    const siteState = JSON.parse(await readFile(join(state, 'publisher.json'), 'utf8'));
    delete siteState.places;
    await writeFile(join(state, 'publisher.json'), JSON.stringify(siteState));
    const ids = await readdir(join(state, 'ids'));
    const result = await runCli(['publish', '--content', contentRoot, '--out', out]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('wrote');
    expect(await readdir(join(state, 'public', 'ids'))).toEqual(ids);
  });

  it('publishes 2,000 records with no more than 256 files open at once', async () => {
    const content = join(work, 'content');
    await mkdir(join(content, 'articles'), { recursive: true });
    await copyFile(join(contentRoot, 'site.json'), join(content, 'site.json'));
    for (let index = 0; index < 2000; index += 1) {
      const date = new Date(Date.UTC(2024, 0, 1) + index * 3_600_000).toISOString();
      await writeFile(
        join(content, 'articles', `${index}.json`),
        JSON.stringify({
          title: `Story ${index}`,
          date,
          categories: [`Section ${index % 5}`],
          content_text: 'x',
        }),
      );
    }
    const command = `ulimit -n 256 && exec "${process.execPath}" ${cli.join(' ')} publish --content "${content}" --out "${join(work, 'public')}"`;
    for (const run of ['first publish', 'publish again']) {
      const { stdout } = await promisify(execFile)('bash', ['-c', command], { cwd: process.cwd() });
      expect(stdout, run).toContain('2000 published');
    }
  }, 60_000);

  it('removes 20,000 records in one publish with no more than 256 files open at once', async () => {
    const content = join(work, 'content');
    const out = join(work, 'public');
    await mkdir(join(content, 'articles'), { recursive: true });
    await copyFile(join(contentRoot, 'site.json'), join(content, 'site.json'));
    const count = 20_000;
    for (let index = 0; index < count; index += 1) {
      const date = new Date(Date.UTC(2020, 0, 1) + index * 3_600_000).toISOString();
      await writeFile(
        join(content, 'articles', `${index}.json`),
        JSON.stringify({ title: `Story ${index}`, date, content_text: 'x' }),
      );
    }
    const publish = async () => {
      const command = `ulimit -n 256 && exec "${process.execPath}" ${cli.join(' ')} publish --quiet --content "${content}" --out "${out}"`;
      return promisify(execFile)('bash', ['-c', command], { cwd: process.cwd(), maxBuffer: 1 << 24 });
    };
    await publish();
    expect(await readdir(join(out, 'articles'))).toHaveLength(count);
    await rm(join(content, 'articles'), { recursive: true });
    await mkdir(join(content, 'articles'));
    await writeFile(
      join(content, 'articles', 'last.json'),
      JSON.stringify({ title: 'Last one standing', date: '2024-06-01T00:00:00Z', content_text: 'x' }),
    );
    const { stderr } = await publish();
    expect(stderr).toBe('');
    const files = [...(await readTree(out)).keys()];
    expect(files.filter((path) => path.startsWith('articles/'))).toHaveLength(1);
    expect(files.filter((path) => path.startsWith('archive/'))).toEqual(['archive/index.html']);
    expect(feedTitles(await readFile(join(out, 'feed.json'), 'utf8'))).toEqual(['Last one standing']);
  }, 300_000);

  it('publish prints record errors with key and field and still publishes the rest', async () => {
    const content = join(work, 'content');
    await mkdir(join(content, 'articles'), { recursive: true });
    await copyFile(join(contentRoot, 'site.json'), join(content, 'site.json'));
    await writeFile(
      join(content, 'articles', 'good.json'),
      JSON.stringify({ title: 'Good', date: '2024-01-01', content_text: 'Fine.' }),
    );
    await writeFile(
      join(content, 'articles', 'bad.json'),
      JSON.stringify({ title: 'Bad', date: '2024-02-30', content_text: 'x' }, null, 2),
    );
    const result = await runCli(['publish', '--content', content, '--out', join(work, 'public')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('1 published');
    // The file and the line of the field, as editors and terminals link them.
    expect(result.stderr).toContain("error: articles/bad.json:3: date: '2024-02-30' is not a real date");
  });

  it('validate exits 1 and names the record when one is invalid, 0 when all are valid', async () => {
    expect((await runCli(['validate', contentRoot])).code).toBe(0);
    const content = join(work, 'content');
    await mkdir(join(content, 'articles'), { recursive: true });
    await copyFile(join(contentRoot, 'site.json'), join(content, 'site.json'));
    await writeFile(join(content, 'articles', 'bad.md'), '---\ntitle: [unclosed\n---\nBody');
    const result = await runCli(['validate', content]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/error: articles\/bad\.md: \(front matter\): line 2, column \d+: /);
  });

  it('counts records, not messages, in its summary, says how long it took, and --strict fails on warnings', async () => {
    const content = join(work, 'content');
    await mkdir(join(content, 'articles'), { recursive: true });
    await copyFile(join(contentRoot, 'site.json'), join(content, 'site.json'));
    const write = (name: string, record: object) =>
      writeFile(join(content, 'articles', name), JSON.stringify(record));
    await write('good.json', { title: 'Good', date: '2024-01-01', content_text: 'Fine.', wordcount: 2 });
    // Two problems in one record; and a record whose explicit id another already has.
    await write('bad.json', { title: 'Bad', date: '2024-02-30', content_text: 'x', draft: 'no' });
    await write('a-holder.json', {
      id: 'tag:e.com,2024:1',
      title: 'Holder',
      date: '2024-01-02',
      content_text: 'x',
    });
    await write('b-claimant.json', {
      id: 'tag:e.com,2024:1',
      title: 'Claimant',
      date: '2024-01-03',
      content_text: 'x',
    });
    const out = ['--out', join(work, 'public')];
    const result = await runCli(['publish', '--content', content, ...out]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^2 published, 0 embargoed, 0 drafts, 0 expired; 2 record errors, 2 warnings; took \d+\.\d\d s$/m,
    );
    expect(result.stderr).toContain('warning: articles/good.json:1: wordcount: unknown field, ignored;');
    expect(result.stderr).toContain(
      "warning: articles/a-holder.json: id: id 'tag:e.com,2024:1' is also claimed by articles/b-claimant.json; this record keeps it",
    );
    const strict = await runCli(['publish', '--content', content, ...out, '--strict']);
    expect(strict.code).toBe(1);
  });

  it.each([
    [['--version'], 0, /^\d+\.\d+\.\d+\n$/, ''],
    [['help'], 0, /^Usage: feed-publisher <command>/, ''],
    [['help', 'validate'], 0, /^feed-publisher validate \[<dir> \| <file>\]/, ''],
    [['publish', '--help'], 0, /--json +print the report as JSON/, ''],
    [
      ['publish', '--bukcet', 's3://x'],
      2,
      /^$/,
      'feed-publisher: unknown option --bukcet; did you mean --bucket?',
    ],
    [['publish', '--colour'], 2, /^$/, 'feed-publisher: unknown option --colour\n'],
    [['publish', '--out'], 2, /^$/, 'feed-publisher: option --out needs a value'],
    [
      ['serve', '--port', 'abc'],
      2,
      /^$/,
      "feed-publisher: --port must be a number from 1 to 65535, not 'abc'",
    ],
    [['frob'], 2, /^$/, "feed-publisher: unknown command 'frob'"],
    // A name every object has is not a command either.
    [['toString'], 2, /^$/, "feed-publisher: unknown command 'toString'"],
    [
      ['serve', '--out', '/nonexistent-folder'],
      2,
      /^$/,
      'does not exist; run "npm start" to publish content/ into it first',
    ],
  ])('%j exits %i and says so in plain words', async (args, code, stdout, stderr) => {
    const result = await runCli(args);
    expect(result.code).toBe(code);
    expect(result.stdout).toMatch(stdout);
    expect(result.stderr).toContain(stderr);
    expect(result.stderr).not.toMatch(/ERR_PARSE_ARGS|NaN|\n +at /);
  });

  it('validates one record file with the settings of the site.json above it', async () => {
    const ok = await runCli(['validate', `${contentRoot}articles/000_9444c1069fa391d1.txt`]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('1 record checked, 1 valid, 0 invalid; 0 warnings');
    const content = join(work, 'content');
    await mkdir(join(content, 'articles'), { recursive: true });
    await copyFile(join(contentRoot, 'site.json'), join(content, 'site.json'));
    await writeFile(join(content, 'articles', 'bad.json'), '{"title": "A",}');
    const bad = await runCli(['validate', join(content, 'articles', 'bad.json'), '--json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({
      checked: 1,
      invalid: 1,
      errors: [{ key: 'articles/bad.json', field: '(file)' }],
    });
  });

  it('says when a folder to validate has no articles/ in it', async () => {
    const result = await runCli(['validate', work]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`has no articles/ folder; records go in ${join(work, 'articles')}/`);
  });

  it('prints the publish report as JSON with --json, and nothing but problems with --quiet', async () => {
    const out = ['--content', contentRoot, '--out', join(work, 'public')];
    const json = await runCli(['publish', ...out, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      published: 3,
      errors: [],
      warnings: [],
      mode: 'rebuild',
    });
    const quiet = await runCli(['publish', ...out, '--quiet']);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toBe('');
  });
});
