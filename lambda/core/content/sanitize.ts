import sanitizeHtml from 'sanitize-html';

export interface CleanHtmlOptions {
  /** Relative links and sources resolve against this absolute URL (the article's, else the site's). */
  readonly baseUrl: string;
  /** Hosts whose iframes (video players, maps) may stay; every other iframe is removed. */
  readonly iframeHosts: readonly string[];
  /** Told of each element, attribute or link removed, so the editor can be told too. */
  readonly onRemoved?: (what: string) => void;
}

const urlAttributes = ['href', 'src', 'cite', 'poster'];
/** Images may be inline data, but only raster formats: an SVG can carry script. */
const safeDataImage = /^data:image\/(?:png|jpeg|gif|webp|avif);base64,[a-z0-9+/=\s]*$/i;

const allowedTags = [
  ...sanitizeHtml.defaults.allowedTags.filter((tag) => !['nav', 'main'].includes(tag)),
  'img',
  'picture',
  'source',
  'video',
  'audio',
  'track',
  'del',
  'ins',
  'details',
  'summary',
];

const allowedAttributes: Record<string, string[]> = {
  '*': ['title', 'lang', 'dir'],
  a: ['href', 'hreflang', 'rel'],
  img: ['src', 'srcset', 'sizes', 'alt', 'width', 'height', 'loading'],
  source: ['src', 'srcset', 'sizes', 'type', 'media'],
  video: ['src', 'poster', 'controls', 'width', 'height', 'loop', 'muted', 'playsinline'],
  audio: ['src', 'controls', 'loop', 'muted'],
  track: ['src', 'kind', 'srclang', 'label', 'default'],
  iframe: ['src', 'width', 'height', 'allowfullscreen', 'allow'],
  blockquote: ['cite'],
  q: ['cite'],
  del: ['cite', 'datetime'],
  ins: ['cite', 'datetime'],
  time: ['datetime'],
  data: ['value'],
  ol: ['start', 'reversed', 'type'],
  li: ['value'],
  td: ['colspan', 'rowspan', 'headers'],
  th: ['colspan', 'rowspan', 'headers', 'scope', 'abbr'],
  col: ['span'],
  colgroup: ['span'],
};

const allowedSchemes = ['http', 'https', 'mailto', 'tel'];

/**
 * Article HTML as feed readers may show it: an allowlist of elements and attributes (no script,
 * style, event handlers, forms or embeds), only http(s)/mailto/tel links, raster data: images only,
 * iframes only from allowed hosts, and every link and source made absolute, since many readers
 * ignore xml:base.
 */
export function cleanHtml(html: string, options: CleanHtmlOptions): string {
  return sanitizeHtml(html, {
    allowedTags: [...allowedTags, ...(options.iframeHosts.length > 0 ? ['iframe'] : [])],
    allowedAttributes,
    allowedSchemes,
    allowedSchemesByTag: { img: ['http', 'https', 'data'] },
    allowedSchemesAppliedToAttributes: [...urlAttributes, 'srcset'],
    allowProtocolRelative: false,
    allowedIframeHostnames: [...options.iframeHosts],
    allowIframeRelativeUrls: false,
    disallowedTagsMode: 'discard',
    // An embed whose source was removed is an empty box; drop it.
    exclusiveFilter: (frame) =>
      ['img', 'iframe', 'source', 'track'].includes(frame.tag) && !frame.attribs.src && !frame.attribs.srcset,
    onOpenTag: options.onRemoved ? (name, attribs) => reportRemovals(name, attribs, options) : undefined,
    transformTags: {
      '*': (tagName, attribs) => ({ tagName, attribs: absolutize(tagName, attribs, options.baseUrl) }),
    },
  });
}

/** What the sanitizer is about to take out of one element, in words an editor can act on. */
function reportRemovals(name: string, attribs: sanitizeHtml.Attributes, options: CleanHtmlOptions): void {
  const report = options.onRemoved ?? (() => {});
  if (name === 'iframe') {
    const host = hostOf(attribs.src ?? '');
    if (!host || !options.iframeHosts.includes(host)) {
      report(
        host
          ? `removed <iframe> from ${host}; add "${host}" to allowedIframeHosts in site.json to keep it`
          : 'removed <iframe> without an absolute https source',
      );
    }
    return;
  }
  if (!allowedTags.includes(name)) {
    report(`removed <${name}>`);
    return;
  }
  const allowed = new Set([...(allowedAttributes['*'] ?? []), ...(allowedAttributes[name] ?? [])]);
  for (const [attribute, value] of Object.entries(attribs)) {
    if (!allowed.has(attribute)) {
      report(`removed the ${attribute} attribute of <${name}>`);
      continue;
    }
    const scheme = /^\s*([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase();
    if (!urlAttributes.includes(attribute) || !scheme) continue;
    const rasterImage = name === 'img' && scheme === 'data' && safeDataImage.test(value.trim());
    if (!allowedSchemes.includes(scheme) && !rasterImage) {
      report(`removed the ${attribute} of <${name}>: ${scheme}: links are not allowed`);
    }
  }
}

function hostOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.hostname : undefined;
  } catch {
    return undefined;
  }
}

function absolutize(
  tagName: string,
  attribs: sanitizeHtml.Attributes,
  baseUrl: string,
): sanitizeHtml.Attributes {
  const result: sanitizeHtml.Attributes = { ...attribs };
  for (const name of urlAttributes) {
    const value = result[name];
    if (value === undefined) continue;
    const absolute = resolveUrl(value, baseUrl);
    if (
      absolute === undefined ||
      (absolute.startsWith('data:') && !(tagName === 'img' && safeDataImage.test(absolute)))
    ) {
      delete result[name];
    } else {
      result[name] = absolute;
    }
  }
  if (result.srcset !== undefined) {
    const candidates = result.srcset
      .split(',')
      .map((candidate) => candidate.trim().split(/\s+/))
      .map(([url = '', ...descriptor]) => [resolveUrl(url, baseUrl), ...descriptor])
      .filter(([url]) => url !== undefined && /^https?:/i.test(url));
    if (candidates.length > 0) result.srcset = candidates.map((parts) => parts.join(' ')).join(', ');
    else delete result.srcset;
  }
  return result;
}

/** An absolute URL for `value`, or undefined when it cannot be one. Schemes are left to the allowlist. */
function resolveUrl(value: string, baseUrl: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  try {
    return new URL(trimmed, baseUrl).href;
  } catch {
    return undefined;
  }
}
