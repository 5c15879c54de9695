import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watchContent } from '../../../lambda/cli/watch.ts';

let root: string;
let close = () => {};

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'watch-'));
  await mkdir(join(root, 'articles'), { recursive: true });
});
afterEach(async () => {
  close();
  await rm(root, { recursive: true, force: true });
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('watchContent', () => {
  it('republishes once for a burst of changes, in subfolders too, and ignores editor swap files', async () => {
    let runs = 0;
    ({ close } = watchContent(
      [root],
      async () => {
        runs += 1;
      },
      100,
    ));
    await pause(50);
    for (let index = 0; index < 5; index += 1) {
      await writeFile(join(root, 'articles', `${index}.json`), '{}');
      await pause(10);
    }
    await pause(600);
    expect(runs).toBe(1);
    await writeFile(join(root, 'articles', '.0.json.swp'), 'x');
    await pause(400);
    expect(runs).toBe(1);
    await writeFile(join(root, 'site.json'), '{}');
    await pause(400);
    expect(runs).toBe(2);
  });
});
