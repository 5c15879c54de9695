import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.ts';

let work: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'cli-init-'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('init', () => {
  it('makes a site that publish and validate accept, with the answers given and defaults for the rest', async () => {
    const site = join(work, 'night-desk');
    const made = await runCli(['init', site, '--title', 'Night Desk', '--url', 'https://news.example.org']);
    expect(made.code).toBe(0);
    expect(made.stdout).toContain('feed-publisher publish');
    const config = JSON.parse(await readFile(join(site, 'content', 'site.json'), 'utf8'));
    expect(config).toMatchObject({
      title: 'Night Desk',
      siteUrl: 'https://news.example.org/',
      language: 'en',
    });
    expect(await readFile(join(site, '.gitignore'), 'utf8')).toBe('public/\n.publisher/\n');
    const validated = await runCli(['validate', join(site, 'content')]);
    expect(validated.stdout).toContain('1 record checked, 1 valid, 0 invalid; 0 warnings');
    const published = await runCli([
      'publish',
      '--content',
      join(site, 'content'),
      '--out',
      join(site, 'public'),
    ]);
    expect(published.code).toBe(0);
    expect(published.stderr).toBe('');
    const feed = JSON.parse(await readFile(join(site, 'public', 'feed.json'), 'utf8'));
    expect(feed.title).toBe('Night Desk');
    expect(feed.items.map((item: { title: string }) => item.title)).toEqual(['Welcome to Night Desk']);
  });

  it('changes nothing in a folder that already has a site', async () => {
    await runCli(['init', work]);
    await writeFile(join(work, 'content', 'site.json'), '{"title":"Mine"}');
    const again = await runCli(['init', work, '--title', 'Other']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('site.json already exists');
    expect(await readFile(join(work, 'content', 'site.json'), 'utf8')).toBe('{"title":"Mine"}');
  });
});
