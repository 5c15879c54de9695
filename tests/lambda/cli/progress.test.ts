import { describe, expect, it } from 'vitest';
import { createProgress } from '../../../lambda/cli/progress.ts';

function run(tty: boolean, times: readonly number[]) {
  let clock = 0;
  const written: string[] = [];
  const progress = createProgress({ tty, write: (text) => written.push(text), now: () => clock });
  times.forEach((time, index) => {
    clock = time;
    progress.update({ recordsRead: (index + 1) * 500, records: 2000, filesWritten: index * 10 });
  });
  progress.done();
  return written;
}

describe('the progress display', () => {
  it('prints nothing for a publish shorter than a second', () => {
    expect(run(true, [200, 500, 900])).toEqual([]);
    expect(run(false, [200, 500, 900])).toEqual([]);
  });

  it('rewrites one terminal line at most every second, and clears it at the end', () => {
    expect(run(true, [500, 1200, 1500, 2300])).toEqual([
      '\r\u001b[2K1000 of 2000 records read, 10 files written',
      '\r\u001b[2K2000 of 2000 records read, 30 files written',
      '\r\u001b[2K',
    ]);
  });

  it('prints plain lines where there is no terminal', () => {
    expect(run(false, [500, 1200, 1500, 2300])).toEqual([
      '1000 of 2000 records read, 10 files written\n',
      '2000 of 2000 records read, 30 files written\n',
    ]);
  });
});
