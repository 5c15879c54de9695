/**
 * Builds the installable CLI into dist/package/: the command bundled with esbuild (no tsx, no
 * dependency left to install, so the packed package installs offline), split so each command
 * loads only its own code and `--version` loads almost none, and a package.json with the bin.
 *
 *   npm run build:cli            # then: npm pack ./dist/package
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'dist', 'package');

interface ProjectPackage {
  readonly version: string;
  readonly description: string;
  readonly engines: { readonly node: string };
  readonly license?: string;
}

export async function buildCli(): Promise<string> {
  const project = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as ProjectPackage;
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  await build({
    entryPoints: { cli: join(root, 'lambda', 'cli', 'cli.ts') },
    outdir: out,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: true,
    chunkNames: 'chunks/[name]-[hash]',
    legalComments: 'none',
    logLevel: 'warning',
    // Bundled CommonJS dependencies call require(); an ES module has none of its own.
    banner: {
      js: "#!/usr/bin/env node\nimport { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
    },
  });
  const manifest = {
    name: 'feed-publisher',
    version: project.version,
    description: project.description,
    type: 'module',
    bin: { 'feed-publisher': 'cli.js' },
    engines: project.engines,
    license: project.license ?? 'UNLICENSED',
    files: ['cli.js', 'chunks/'],
  };
  await writeFile(join(out, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(
    join(out, 'README.md'),
    [
      '# feed-publisher',
      '',
      'Publishes RSS 2.0, Atom 1.0 and JSON Feed 1.1, category feeds, archive pages and article pages',
      'from article records (JSON, Markdown with front matter, plain-text news).',
      '',
      '```sh',
      'npx feed-publisher init my-site   # a site with one sample record',
      'cd my-site',
      'npx feed-publisher publish        # content/ -> public/',
      'npx feed-publisher serve          # look at it on http://127.0.0.1:8080/',
      '```',
      '',
      '`npx feed-publisher help` lists every command and option.',
      '',
    ].join('\n'),
  );
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const built = await buildCli();
  console.log(`built ${built}`);
}
