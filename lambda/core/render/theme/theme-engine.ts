import { Liquid } from 'liquidjs';
import { defaultTemplates } from './default-theme.ts';

/** Template files by name: a site's overrides, or the set a publish renders with. */
export type TemplateSources = Readonly<Record<string, string>>;

/** A template that cannot be parsed or rendered, with the file and line to look at. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly reason: string,
  ) {
    super(`templates/${file}${line === undefined ? '' : `:${line}`}: ${reason}`);
  }
}

/**
 * Bounds that keep a runaway template (a loop over a huge range) from holding a publish: the
 * characters of templates read, milliseconds per page (pages take a few), objects made.
 */
const limits = { parseLimit: 1_000_000, renderLimit: 2_000, memoryLimit: 50_000_000 };

const engines = new WeakMap<TemplateSources, Liquid>();
const noOverrides: TemplateSources = {};

/**
 * The engine for a site's templates over the default theme, made once per set. Output is
 * escaped unless a template says `| raw`; unknown filters are errors when a template is read;
 * templates see only the values given to them (no prototypes, no file system, no code).
 */
function engineFor(overrides: TemplateSources = noOverrides): Liquid {
  let engine = engines.get(overrides);
  if (!engine) {
    engine = new Liquid({
      templates: { ...defaultTemplates, ...overrides },
      outputEscape: 'escape',
      strictFilters: true,
      ownPropertyOnly: true,
      cache: true,
      ...limits,
    });
    engines.set(overrides, engine);
  }
  return engine;
}

/** Renders one template of the set with `scope`; a failure names the template file and line. */
export function renderTemplate(
  overrides: TemplateSources | undefined,
  name: string,
  scope: Record<string, unknown>,
): string {
  const engine = engineFor(overrides);
  try {
    return engine.renderSync(engine.parseFileSync(name), scope) as string;
  } catch (error) {
    throw templateError(name, error);
  }
}

/** Reads one template of the set, so a mistake in it is found before any page is rendered. */
export function parseTemplate(overrides: TemplateSources | undefined, name: string): void {
  try {
    engineFor(overrides).parseFileSync(name);
  } catch (error) {
    throw templateError(name, error);
  }
}

/** Liquid's message ends with `, file:<name>, line:<n>, col:<n>` for the innermost template at fault. */
function templateError(name: string, error: unknown): TemplateError {
  if (error instanceof TemplateError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const where = /^(.*?), file:(\S+?), line:(\d+), col:\d+/s.exec(message);
  if (where) return new TemplateError(where[2] ?? name, Number(where[3]), readable(where[1] ?? message));
  const bare = /^(.*?), line:(\d+), col:\d+/s.exec(message);
  if (bare) return new TemplateError(name, Number(bare[2]), readable(bare[1] ?? message));
  return new TemplateError(name, undefined, readable(message));
}

/** Liquid's lookup failure names the working folder, which means nothing to a site's author. */
function readable(message: string): string {
  const missing = /Failed to lookup "([^"]+)"/.exec(message);
  return missing ? `includes ${missing[1]}, which is neither in templates/ nor in the theme` : message;
}
