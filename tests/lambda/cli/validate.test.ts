import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.ts';
import { contentRoot } from '../../helpers/sample.ts';

let work: string;
let content: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'cli-validate-'));
  content = join(work, 'content');
  await mkdir(join(content, 'articles'), { recursive: true });
  // The sample site's time zone is Europe/Moscow.
  await copyFile(join(contentRoot, 'site.json'), join(content, 'site.json'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

const write = (name: string, text: string) => writeFile(join(content, 'articles', name), text);
const markdown = (fields: string) => `---\ntitle: A\n${fields}\n---\nText.\n`;

describe('validate', () => {
  it('lists drafts, embargoed and expired records per file with their dates', async () => {
    await write('draft.md', markdown('date: 2024-01-01 09:00\ndraft: true'));
    await write('later.md', markdown('date: 2999-01-01 08:00'));
    await write('old.md', markdown('date: 2024-01-01\nexpires: 2025-01-01 12:00'));
    await write('live.md', markdown('date: 2024-01-01'));
    const result = await runCli(['validate', content]);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      'draft      articles/draft.md: draft: true, dated 2024-01-01 09:00 (Europe/Moscow)',
      'embargoed  articles/later.md: until 2999-01-01 08:00 (Europe/Moscow)',
      'expired    articles/old.md: expired 2025-01-01 12:00 (Europe/Moscow)',
      '4 records checked, 4 valid, 0 invalid; 0 warnings; not published now: 1 draft, 1 embargoed, 1 expired',
      '',
    ]);
    const json = JSON.parse((await runCli(['validate', content, '--json'])).stdout);
    expect(json.held).toContainEqual({
      key: 'articles/later.md',
      state: 'embargoed',
      date: '2999-01-01T05:00:00.000Z',
      until: '2999-01-01T05:00:00.000Z',
    });
  });

  it('names the file and line of a field of the wrong type', async () => {
    await write('a.md', markdown('date: 2024-01-01\ncategories: Economy'));
    const result = await runCli(['validate', content]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `error: articles/a.md:4: categories: must be a list of texts, like ["Economy"], not the text 'Economy'`,
    );
  });

  it('warns of a symbolic link it skips, and --strict fails on it', async () => {
    await write('real.md', markdown('date: 2024-01-01'));
    await symlink(join(content, 'articles', 'real.md'), join(content, 'articles', 'linked.md'));
    const result = await runCli(['validate', content]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      'warning: articles/linked.md: (file): is a symbolic link, so it is skipped',
    );
    expect(result.stdout).toContain('1 record checked, 1 valid, 0 invalid; 1 warning');
    expect((await runCli(['validate', content, '--strict'])).code).toBe(1);
    const published = await runCli(['publish', '--content', content, '--out', join(work, 'public')]);
    expect(published.stderr).toContain('warning: articles/linked.md: (file): is a symbolic link');
  });
});
