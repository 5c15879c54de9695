/**
 * Cold start of the function bundle two ways: with the `@aws-sdk/*` clients left to the Lambda
 * runtime (as deployed) and with the clients the tests ran against bundled in. Measures the
 * bundle size and the time to import it in a fresh Node process (Lambda's init phase does the
 * same: load the module, read the environment, create the clients). Medians of 9.
 *
 *   node --import tsx bench/cold-start.ts
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';

const run = promisify(execFile);
const runs = 9;
const environment = {
  ...process.env,
  CONTENT_BUCKET: 'content',
  FEEDS_BUCKET: 'feeds',
  STATE_BUCKET: 'state',
  AWS_REGION: 'us-east-1',
};
// Inside the project, so the unbundled clients resolve from node_modules as from the runtime's copy.
await mkdir('.tmp', { recursive: true });
const folder = await mkdtemp(join('.tmp', 'cold-start-'));
try {
  console.log('| bundle | size (KiB) | import, median of 9 (ms) |\n|---|---:|---:|');
  for (const [name, external] of [
    ['@aws-sdk/* from the runtime (deployed)', ['@aws-sdk/*']],
    ['@aws-sdk/* bundled', []],
  ] as const) {
    const outfile = resolve(folder, `${external.length}.mjs`);
    await build({
      entryPoints: ['lambda/handler.ts'],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      mainFields: ['module', 'main'],
      external: [...external],
      outfile,
      banner: {
        js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
      logLevel: 'silent',
    });
    const times: number[] = [];
    for (let index = 0; index < runs; index += 1) {
      const { stdout } = await run(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const t = performance.now(); await import(${JSON.stringify(outfile)}); console.log(performance.now() - t);`,
        ],
        { env: environment },
      );
      times.push(Number(stdout.trim()));
    }
    times.sort((a, b) => a - b);
    const size = (await stat(outfile)).size / 1024;
    console.log(`| ${name} | ${size.toFixed(0)} | ${times[Math.floor(runs / 2)]?.toFixed(0)} |`);
  }
} finally {
  await rm(folder, { recursive: true, force: true });
}
