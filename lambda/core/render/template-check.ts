import type { Article, RecordError, SiteConfig } from '../model.ts';
import { nearestOf } from '../nearest-name.ts';
import { renderArchiveIndexFile, renderPeriodPageFile } from './archive-pages.ts';
import { renderArticlePage } from './article-page.ts';
import { renderCategoriesPage } from './categories-page.ts';
import { renderSubscribePage } from './subscribe-page.ts';
import { defaultTemplates, type TemplateName } from './theme/default-theme.ts';
import { parseTemplate, TemplateError, type TemplateSources } from './theme/theme-engine.ts';

/** What checking a site's templates found, and the set a publish renders with. */
export interface TemplateCheck {
  /** The site's templates that render: each good one, or its last good version in its place. */
  readonly templates: TemplateSources;
  /** One per template that failed, naming its file and line (`templates/<file>`). */
  readonly errors: readonly RecordError[];
  readonly warnings: readonly RecordError[];
  /** Templates that failed and render in their last good version meanwhile. */
  readonly keptLastGood: readonly string[];
}

/** Where a site's templates are named in reports. */
export function templateKey(file: string): string {
  return `templates/${file}`;
}

/**
 * Checks a site's templates as records are checked: each is read, then every page kind is drawn
 * from a sample article. A template that fails is reported with its file and line and replaced
 * by its last good version (so published pages keep their look), or by the default theme's when
 * it never rendered. Pure: the caller keeps `templates` as the next `lastGood`.
 */
export function checkTemplates(
  site: SiteConfig,
  sources: TemplateSources,
  lastGood: TemplateSources,
): TemplateCheck {
  const templates: Record<string, string> = { ...sources };
  const errors: RecordError[] = [];
  const keptLastGood = new Set<string>();
  const fail = (error: TemplateError) => {
    const file = error.file in templates ? error.file : undefined;
    if (file === undefined) throw error; // The default theme failed: a bug, not the site's mistake.
    errors.push({ key: templateKey(file), field: 'template', message: error.reason, line: error.line });
    const good = lastGood[file];
    if (good !== undefined && good !== templates[file]) {
      templates[file] = good;
      keptLastGood.add(templateKey(file));
    } else {
      delete templates[file];
      keptLastGood.delete(templateKey(file));
    }
  };
  for (const file of Object.keys(sources)) {
    try {
      parseTemplate(sources, file);
      checkAttributes(file, sources[file] ?? '');
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      fail(error.file === file ? error : new TemplateError(file, error.line, error.reason));
    }
  }
  // A mistake that only shows when rendering (an include of a missing file, a loop past the
  // limits) fails one template at a time: each round puts one back, so this ends.
  for (let round = 0; round <= Object.keys(sources).length; round += 1) {
    const failure = sampleFailure({ ...site, templates: { ...templates } });
    if (!failure) break;
    fail(failure);
  }
  return {
    templates,
    errors,
    warnings: strayTemplates(sources),
    keptLastGood: [...keptLastGood],
  };
}

/**
 * Escaping keeps a value inside a quoted attribute, not an unquoted one: a space in the value
 * would end the attribute and start another (`onerror=...`). So a value must be quoted.
 */
function checkAttributes(file: string, source: string): void {
  const lines = source.split('\n');
  const index = lines.findIndex((line) => /=\s*\{\{/.test(line));
  if (index >= 0) {
    throw new TemplateError(
      file,
      index + 1,
      'an attribute takes a value without quotes: write name="{{ value }}", or a space in the value would add attributes of its own',
    );
  }
}

/** The site with its checked templates in place (none when it has none), and what the check found. */
export function withTemplates(
  site: SiteConfig,
  sources: TemplateSources,
  lastGood: TemplateSources = {},
): { readonly site: SiteConfig; readonly check: TemplateCheck } {
  const check = checkTemplates(site, sources, lastGood);
  const used = Object.keys(check.templates).length > 0 ? { templates: check.templates } : {};
  return { site: { ...site, ...used }, check };
}

/** The first template error met drawing every page kind from a sample. */
function sampleFailure(site: SiteConfig): TemplateError | undefined {
  const article = sampleArticle(site);
  const scope = { setFolder: '', name: site.title };
  const draws = [
    () => renderArticlePage(site, article, { newer: article, older: article }),
    () => renderSubscribePage(site, [article], [{ name: 'Sample', folder: 'categories/sample/' }]),
    () => renderCategoriesPage(site, [{ name: 'Sample', folder: 'categories/sample/' }]),
    () => renderArchiveIndexFile(site, scope, { '2000-01': 1 }, 1),
    () => renderPeriodPageFile(site, scope, '2000-01', [article], { newer: '2000-02' }),
  ];
  for (const draw of draws) {
    try {
      draw();
    } catch (error) {
      if (error instanceof TemplateError) return error;
      throw error;
    }
  }
  return undefined;
}

/** A sample with every field a page shows, dated so it never depends on the clock. */
function sampleArticle(site: SiteConfig): Article {
  const date = new Date(Date.UTC(2000, 0, 1));
  return {
    id: 'urn:uuid:00000000-0000-4000-8000-000000000000',
    key: 'articles/sample.md',
    title: 'Sample',
    published: date,
    updated: date,
    summary: 'A sample article.',
    contentHtml: '<p>Sample.</p>',
    authors: [{ name: 'Sample Author', url: new URL('./', site.feedBaseUrl).href }],
    categories: ['Sample'],
    tags: [],
    attachments: [],
    dateline: 'SAMPLE',
    image: { caption: 'A caption', credit: 'A credit' },
    draft: false,
  };
}

/**
 * Files that are not templates of the theme and that no template includes: most likely a
 * misspelt name, which would otherwise change nothing without a word.
 */
function strayTemplates(sources: TemplateSources): RecordError[] {
  const names = Object.keys(defaultTemplates) as TemplateName[];
  const texts = Object.values(sources).concat(Object.values(defaultTemplates));
  return Object.keys(sources)
    .filter((file) => !names.includes(file as TemplateName))
    .filter((file) => !texts.some((text) => text.includes(`'${file}'`) || text.includes(`"${file}"`)))
    .map((file) => {
      const nearest = nearestOf(file, names);
      return {
        key: templateKey(file),
        field: 'template',
        message: `is neither a template of the theme nor included by one, so it changes nothing; ${
          nearest ? `did you mean ${nearest}?` : `the theme's templates are ${names.join(', ')}`
        }`,
      };
    });
}
