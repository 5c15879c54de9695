import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Corpus, generateCorpus } from '../../helpers/cloudfront-logs.ts';
import { runCli } from '../../helpers/run-cli.ts';

let root: string;
let corpus: Corpus;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cli-stats-'));
  corpus = generateCorpus();
  await mkdir(join(root, 'logs', 'cloudfront'), { recursive: true });
  for (const file of corpus.files) await writeFile(join(root, 'logs', 'cloudfront', file.name), file.body);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('feed-publisher stats --logs', () => {
  it('counts requests, 304s, robots, distinct readers, aggregator subscribers and apps exactly', async () => {
    const { code, stdout, stderr } = await runCli(['stats', '--logs', join(root, 'logs'), '--json']);
    expect(code, stderr).toBe(0);
    const { days } = JSON.parse(stdout) as { days: { date: string; final: boolean; feeds: unknown }[] };
    expect(Object.fromEntries(days.map((day) => [day.date, day.feeds]))).toEqual(corpus.expected);
    expect(days.every((day) => day.final)).toBe(true);
  });

  it('reports malformed lines with file and line, and skips them', async () => {
    const { code, stderr } = await runCli(['stats', '--logs', join(root, 'logs'), '--json']);
    expect(code).toBe(0);
    expect(stderr).toContain(`skipped ${corpus.malformedLines} malformed log lines`);
    expect(stderr).toMatch(/cloudfront\/E2QWRUHEXAMPLE\.[\d-]+\.\w+\.gz:\d+: /);
    expect(stderr).toContain("sc-status 'OK' is not an HTTP status");
  });

  it('prints a table per feed and day, with subscribers from readers and aggregators', async () => {
    const { code, stdout } = await runCli(['stats', '--logs', join(root, 'logs'), '--from', '2026-12-01']);
    expect(code).toBe(0);
    const [header, ...rows] = stdout.trim().split('\n');
    expect(header).toMatch(/^date\s+feed\s+requests\s+304\s+readers\s+subscribers\s+from$/);
    const expected = corpus.expected['2026-12-01'] ?? {};
    expect(rows).toHaveLength(Object.keys(expected).length);
    const feed = expected['/rss.xml'];
    const total = (feed?.readers ?? 0) + Object.values(feed?.subscribers ?? {}).reduce((a, b) => a + b, 0);
    const row = rows.find((line) => line.includes(' /rss.xml '));
    expect(row).toMatch(
      new RegExp(
        `^2026-12-01\\s+/rss.xml\\s+${feed?.requests}\\s+\\d+%\\s+${feed?.readers}\\s+${total}\\s+.*Feedly ${feed?.subscribers.Feedly}[;\\s]`,
      ),
    );
  });

  it('keeps to the days asked for', async () => {
    const { stdout } = await runCli(['stats', '--logs', join(root, 'logs'), '--to', '2026-11-30', '--json']);
    const { days } = JSON.parse(stdout) as { days: { date: string }[] };
    expect(days.map((day) => day.date)).toEqual(['2026-11-30']);
  });

  it('writes a self-contained page with a chart per feed', async () => {
    const page = join(root, 'out', 'stats.html');
    const { code, stderr } = await runCli(['stats', '--logs', join(root, 'logs'), '--html', page]);
    expect(code, stderr).toBe(0);
    const html = await readFile(page, 'utf8');
    expect(html.match(/<svg /g)).toHaveLength(Object.keys(corpus.expected['2026-12-01'] ?? {}).length);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    for (const identity of corpus.identities) expect(html).not.toContain(identity);
  });

  it.each([
    [['--from', '1 Dec'], "--from must be a date YYYY-MM-DD, not '1 Dec'"],
    [['--from', '2026-12-02', '--to', '2026-12-01'], '--from 2026-12-02 is after --to 2026-12-01'],
    [['--logs', 'nowhere-at-all'], 'nowhere-at-all does not exist'],
    [['--logs', 'x', '--bucket', 's3://state'], 'give --logs or --bucket, not both'],
  ])('refuses %j with exit 2 and says why', async (args, message) => {
    const { code, stderr } = await runCli(['stats', ...args]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});
