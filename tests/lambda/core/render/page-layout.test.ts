import { DomUtils, parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import type { SiteConfig } from '../../../../lambda/core/model.ts';
import { renderSubscribePage } from '../../../../lambda/core/render/subscribe-page.ts';
import { readSiteConfig } from '../../../../lambda/core/site-config.ts';
import { makeRecord, makeSite, planRecords } from '../../../helpers/site.ts';

const hostile = '"><script>alert(1)</script><img src=x onerror=alert(2)>';

/** A site whose every free-text setting is hostile, read through site.json's own checks. */
function hostileSite(): SiteConfig {
  const base = makeSite();
  return readSiteConfig(
    JSON.stringify({
      title: `Wire ${hostile}`,
      description: hostile,
      siteUrl: base.siteUrl,
      feedBaseUrl: base.feedBaseUrl,
      copyright: hostile,
      theme: {
        navigation: [{ label: hostile, url: `/search?q="${hostile}` }],
        footerText: hostile,
        logoUrl: `https://www.example.com/logo.png?"${hostile}`,
      },
    }),
  );
}

describe.each([
  ['subscribe page', (site: SiteConfig) => renderSubscribePage(site, [], [])],
  [
    'article page',
    (site: SiteConfig) => {
      const record = makeRecord('articles/a.json', { title: hostile, date: '2024-01-01', content_text: 'x' });
      const files = planRecords([record], { site }).files;
      return files.find((file) => file.path.startsWith('articles/'))?.body ?? '';
    },
  ],
])('the %s with hostile site.json values', (_kind, render) => {
  const html = render(hostileSite());
  const document = parseDocument(html);

  it('has no element or attribute the values tried to add', () => {
    expect(DomUtils.getElementsByTagName('script', document)).toEqual([]);
    const attributes = DomUtils.getElementsByTagName(() => true, document).flatMap((element) =>
      Object.keys(element.attribs),
    );
    expect(attributes.filter((name) => name.startsWith('on'))).toEqual([]);
  });

  it('shows each value as the text it is', () => {
    expect(DomUtils.textContent(DomUtils.getElementsByTagName('footer', document))).toContain(hostile);
    const navigation = DomUtils.getElementsByTagName('nav', document)[0];
    expect(navigation && DomUtils.textContent(navigation)).toContain(hostile);
  });
});
