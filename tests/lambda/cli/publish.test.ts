import { cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTree } from '../../helpers/local-publisher.ts';
import { runCli } from '../../helpers/run-cli.ts';
import { contentRoot } from '../../helpers/sample.ts';

let work: string;
let content: string;
let out: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'cli-publish-'));
  content = join(work, 'content');
  out = join(work, 'public');
  await cp(contentRoot, content, { recursive: true });
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

const nightTrains = join('articles', '2024-06-03-night-trains.md');
const nightTrainsId = 'urn:uuid:88b1e1c3-3d40-5222-a5ee-7d29510627ac';

/** An edit, an addition and a removal, as an editor makes them in content/. */
async function editContent(): Promise<void> {
  const path = join(content, nightTrains);
  const text = await readFile(path, 'utf8');
  await writeFile(path, text.replace('Night trains return to', 'Night trains are back on'));
  await writeFile(
    join(content, 'articles', '2024-06-05-ferry.md'),
    '---\ntitle: Ferry timetable extended\ndate: 2024-06-05 10:00\ncategories: [Transport]\n---\nLater sailings.\n',
  );
  await rm(join(content, 'articles', '2024-05-31-grain-harvest.json'));
}

describe('publish --dry-run', () => {
  it('writes nothing, to the output or the state, and says which files and items would change', async () => {
    await runCli(['publish', '--content', content, '--out', out]);
    await editContent();
    const before = { out: await readTree(out), state: await readTree(join(work, '.publisher')) };
    const result = await runCli(['publish', '--content', content, '--out', out, '--dry-run']);
    expect(result.code).toBe(0);
    expect(await readTree(out)).toEqual(before.out);
    expect(await readTree(join(work, '.publisher'))).toEqual(before.state);
    const lines = result.stdout.split('\n');
    expect(lines).toContain('would change  feed.json');
    expect(lines).toContain('would remove  categories/economy/feed.json');
    expect(lines).toContain('feed.json: 1 item added, 1 changed, 1 removed');
    expect(lines).toContain(`  ~ "Night trains are back on the northern line"  (${nightTrainsId})`);
    expect(lines.some((line) => line.startsWith('  + "Ferry timetable extended"'))).toBe(true);
    expect(lines.some((line) => line.startsWith('  - "Grain harvest forecast'))).toBe(true);
    expect(result.stdout).toMatch(/dry run: \d+ files in .*public\/ would change; nothing was written/);
    // The real publish then does what the preview said.
    const real = await runCli(['publish', '--content', content, '--out', out, '--verbose']);
    const previewed = lines.filter((line) => line.startsWith('would ')).map((line) => line.slice(14));
    const done = real.stdout
      .split('\n')
      .filter((line) => /^(wrote|removed) /.test(line))
      .map((line) => line.slice(10));
    expect(done.sort()).toEqual(previewed.sort());
  });

  it('gives the preview as JSON with --json, per file and per feed', async () => {
    await runCli(['publish', '--content', content, '--out', out]);
    await editContent();
    const result = await runCli(['publish', '--content', content, '--out', out, '--dry-run', '--json']);
    const report = JSON.parse(result.stdout);
    expect(report.dryRun).toBe(true);
    expect(report.files).toContainEqual({ path: 'rss.xml', change: 'changed' });
    expect(report.files).toContainEqual({ path: 'categories/economy/rss.xml', change: 'removed' });
    expect(report.feeds['categories/transport/feed.json']).toEqual({
      added: [{ id: expect.stringMatching(/^urn:uuid:/), title: 'Ferry timetable extended' }],
      changed: [{ id: nightTrainsId, title: 'Night trains are back on the northern line' }],
      removed: [],
    });
  });

  it('creates neither the output nor the state on a first publish', async () => {
    const result = await runCli(['publish', '--content', content, '--out', out, '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('would add     rss.xml');
    expect(result.stdout).toContain('feed.json: 3 items added, 0 changed, 0 removed');
    expect(
      await readTree(work).then((tree) => [...tree.keys()].some((key) => !key.startsWith('content/'))),
    ).toBe(false);
  });

  it('says so when nothing would change', async () => {
    await runCli(['publish', '--content', content, '--out', out]);
    const result = await runCli(['publish', '--content', content, '--out', out, '--dry-run']);
    expect(result.stdout).toMatch(/dry run: .*public\/ is up to date; nothing would be written/);
  });
});

describe('a record moved as an editor moves it', () => {
  const ids = async () =>
    (JSON.parse(await readFile(join(out, 'feed.json'), 'utf8')) as { items: { id: string }[] }).items
      .map((item) => item.id)
      .sort();

  it.each([
    ['into a folder of its own', join('articles', '2024', '2024-06-03-night-trains.md')],
    ['to another name', join('articles', 'night-trains-return.md')],
  ])('keeps its id when moved %s, so no subscriber sees it again', async (_how, to) => {
    await runCli(['publish', '--content', content, '--out', out]);
    const before = await ids();
    expect(before).toContain(nightTrainsId);
    await mkdir(join(content, to, '..'), { recursive: true });
    await rename(join(content, nightTrains), join(content, to));
    const preview = await runCli(['publish', '--content', content, '--out', out, '--dry-run']);
    expect(preview.stdout).not.toMatch(/item(s)? added, [1-9]/);
    expect(preview.stdout).not.toMatch(/[1-9] item(s)? added/);
    const moved = await runCli(['publish', '--content', content, '--out', out]);
    expect(moved.code).toBe(0);
    expect(await ids()).toEqual(before);
  });
});
