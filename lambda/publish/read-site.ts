import type { SiteConfig } from '../core/model.ts';
import { type TemplateCheck, withTemplates } from '../core/render/template-check.ts';
import { readSiteConfig } from '../core/site-config.ts';
import { decodeRememberedTemplates, encodeState } from '../core/state/codec.ts';
import { stateKeys } from '../core/state/state-keys.ts';
import { type RecordStore, type StateStore, type StoredText, WriteConflictError } from '../stores/ports.ts';

/** The settings a publish renders with: site.json, and the site's templates as checked. */
export interface SiteReading {
  readonly site: SiteConfig;
  /** site.json as written, for its warnings. */
  readonly siteText: string;
  readonly templates: TemplateCheck;
  /** The last check as stored, to replace when it changes. */
  readonly stored?: StoredText;
}

/**
 * Reads site.json and the site's templates. A template that fails is reported and replaced by
 * its last good version (from the state), so a mistake never changes a published page.
 * `templates: 'remembered'` takes the last check from the state instead of listing the
 * templates: what a publish for record events, or a rebuild step, does (no listing per event).
 */
export async function readSite(
  records: RecordStore,
  state: StateStore,
  overrides: Partial<SiteConfig> | undefined,
  options: { readonly templates: 'read' | 'remembered' } = { templates: 'read' },
): Promise<SiteReading> {
  const [siteText, stored] = await Promise.all([records.readSiteConfig(), state.read(stateKeys.templates)]);
  const site = readSiteConfig(siteText, overrides);
  const remembered = stored ? decodeRememberedTemplates(stored.text, stateKeys.templates) : undefined;
  if (remembered && options.templates === 'remembered') {
    const used = Object.keys(remembered.templates).length > 0 ? { templates: remembered.templates } : {};
    return { site: { ...site, ...used }, siteText, templates: remembered, stored };
  }
  const { site: themed, check } = withTemplates(site, await records.readTemplates(), remembered?.templates);
  return { site: themed, siteText, templates: check, ...(stored ? { stored } : {}) };
}

/** Keeps this check, so the next publish falls back to these templates and reports its problems. */
export async function rememberTemplates(state: StateStore, reading: SiteReading): Promise<void> {
  const { templates, errors, warnings, keptLastGood } = reading.templates;
  const text = encodeState({ version: 1, templates, errors, warnings, keptLastGood });
  if (text === reading.stored?.text) return;
  await state
    .write(stateKeys.templates, text, { version: reading.stored?.version })
    .catch((error: unknown) => {
      // A publish beside this one wrote it first, from the same or newer templates.
      if (!(error instanceof WriteConflictError)) throw error;
    });
}
