import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';

/** What `init` asks for; each has a default, so a script can run it without a terminal. */
export interface SiteAnswers {
  readonly title: string;
  readonly siteUrl: string;
  readonly language: string;
  readonly timezone: string;
}

/** Where a newly made site's files go, and the answers it was made with. */
export interface InitOptions {
  readonly dir: string;
  readonly answers: Partial<SiteAnswers>;
  /** Ask for what was not given (only on a terminal). */
  readonly ask: boolean;
  readonly now: Date;
}

function defaults(): SiteAnswers {
  return {
    title: 'My feeds',
    siteUrl: 'https://www.example.com/',
    language: 'en',
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
  };
}

/**
 * `feed-publisher init [dir]`: a site that publishes as it is, as `hugo new site` makes one:
 * content/site.json, one sample record, and a .gitignore for the output and the state. Nothing
 * already there is overwritten. Exit 0 when made, 1 when the folder already holds a site.
 */
export async function initCommand(options: InitOptions): Promise<number> {
  const root = resolve(options.dir);
  const siteFile = join(root, 'content', 'site.json');
  if (
    await readFile(siteFile).then(
      () => true,
      () => false,
    )
  ) {
    console.error(
      `feed-publisher: ${siteFile} already exists; init makes a new site and changes nothing there`,
    );
    return 1;
  }
  const answers = options.ask ? await askFor(options.answers) : { ...defaults(), ...options.answers };
  const siteUrl = answers.siteUrl.endsWith('/') ? answers.siteUrl : `${answers.siteUrl}/`;
  const site = {
    title: answers.title,
    description: `News from ${answers.title}.`,
    siteUrl,
    feedBaseUrl: 'http://localhost:8080/',
    language: answers.language,
    timezone: answers.timezone,
    maxItems: 50,
  };
  const day = options.now.toISOString().slice(0, 10);
  const sample = [
    '---',
    `title: Welcome to ${answers.title.replace(/[:#]/g, ' ')}`,
    `date: ${options.now.toISOString()}`,
    'summary: The first article. Edit it, or add more files like it to content/articles/.',
    'categories: [News]',
    '---',
    'This is an article record: the front matter above, Markdown below. Save a file like this',
    'in `content/articles/`, run `feed-publisher publish`, and it is in every feed.',
    '',
    'Records can also be JSON files; `feed-publisher help` lists the commands.',
    '',
  ].join('\n');
  await mkdir(join(root, 'content', 'articles'), { recursive: true });
  await writeFile(siteFile, `${JSON.stringify(site, null, 2)}\n`, { flag: 'wx' });
  await writeFile(join(root, 'content', 'articles', `${day}-welcome.md`), sample, { flag: 'wx' });
  await writeFile(join(root, '.gitignore'), 'public/\n.publisher/\n', { flag: 'wx' }).catch(() => undefined);
  const where = relative(process.cwd(), root) || '.';
  console.log(
    [
      `Made a site in ${where}/:`,
      '  content/site.json            the site: title, address, language, time zone',
      `  content/articles/${day}-welcome.md   a sample article`,
      '  .gitignore                   leaves out public/ and .publisher/',
      '',
      'Next:',
      ...(where === '.' ? [] : [`  cd ${where}`]),
      '  feed-publisher publish       writes the feeds and pages into public/',
      '  feed-publisher serve         shows them on http://127.0.0.1:8080/',
    ].join('\n'),
  );
  return 0;
}

async function askFor(given: Partial<SiteAnswers>): Promise<SiteAnswers> {
  const fallback = { ...defaults(), ...given };
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const ask = async (key: keyof SiteAnswers, question: string) =>
      given[key] ?? ((await prompt.question(`${question} (${fallback[key]}): `)).trim() || fallback[key]);
    return {
      title: await ask('title', 'Site title'),
      siteUrl: await ask('siteUrl', 'Site address'),
      language: await ask('language', 'Language'),
      timezone: await ask('timezone', 'Time zone'),
    };
  } finally {
    prompt.close();
  }
}
