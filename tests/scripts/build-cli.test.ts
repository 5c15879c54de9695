import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../../scripts/build-cli.ts';

const run = promisify(execFile);
let work: string;
let bin: string;

/** The installed bin, run as a user runs it: no tsx, no repository around it. */
const feedPublisher = (args: readonly string[], cwd: string) =>
  run(bin, [...args], { cwd, env: { ...process.env, NODE_OPTIONS: '' } });

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'cli-package-'));
  const built = await buildCli();
  const { stdout } = await run('npm', ['pack', built, '--pack-destination', work, '--json']);
  const [packed] = JSON.parse(stdout) as [{ filename: string }];
  const filename = packed.filename;
  const install = join(work, 'install');
  // Offline: the package must carry everything it needs.
  await run('npm', [
    'install',
    '--offline',
    '--no-audit',
    '--no-fund',
    '--prefix',
    install,
    join(work, filename),
  ]);
  bin = join(install, 'node_modules', '.bin', 'feed-publisher');
}, 120_000);
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('the packed CLI', () => {
  it('installs offline into a fresh folder and tells its version', async () => {
    const project = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
    const { stdout } = await feedPublisher(['--version'], work);
    expect(stdout.trim()).toBe(project.version);
  });

  it('makes a site with init that publish and validate accept', async () => {
    await feedPublisher(['init', 'site', '--yes'], work);
    const site = join(work, 'site');
    const published = await feedPublisher(['publish'], site);
    expect(published.stdout).toMatch(/^public\/: \d+ files written/);
    expect(published.stdout).toContain('1 published');
    const feed = JSON.parse(await readFile(join(site, 'public', 'feed.json'), 'utf8'));
    expect(feed.items).toHaveLength(1);
    const validated = await feedPublisher(['validate'], site);
    expect(validated.stdout).toContain('1 valid, 0 invalid');
  }, 60_000);
});
