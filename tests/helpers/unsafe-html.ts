import type { ChildNode, Element } from 'domhandler';
import { DomUtils, parseDocument } from 'htmlparser2';

const forbiddenElements = new Set([
  'script',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'form',
  'input',
  'button',
  'textarea',
  'select',
  'style',
  'link',
  'meta',
  'base',
  'svg',
  'math',
  'template',
  'noscript',
  'portal',
  'isindex',
  'xml',
  'marquee',
  'body',
  'html',
  'title',
]);
const urlAttributes = new Set([
  'href',
  'src',
  'cite',
  'poster',
  'action',
  'formaction',
  'background',
  'data',
  'xlink:href',
]);

/**
 * What in an HTML fragment could run script or load something unasked, as a browser would parse
 * it: forbidden elements, event handlers, style, srcdoc, and URLs other than http(s)/mailto/tel,
 * a fragment of the page itself (or raster data: images).
 */
export function findUnsafeHtml(html: string): string[] {
  const findings: string[] = [];
  const elements = DomUtils.findAll(() => true, parseDocument(html).children as ChildNode[]) as Element[];
  for (const element of elements) {
    const name = element.name.toLowerCase();
    if (forbiddenElements.has(name)) findings.push(`<${name}>`);
    for (const [attribute, value] of Object.entries(element.attribs)) {
      const lower = attribute.toLowerCase();
      if (lower.startsWith('on')) findings.push(`${name}[${lower}]`);
      if (lower === 'style' || lower === 'srcdoc') findings.push(`${name}[${lower}]`);
      if (urlAttributes.has(lower) && !isSafeUrl(value, name)) findings.push(`${name}[${lower}=${value}]`);
      if (
        lower === 'srcset' &&
        value.split(',').some((part) => !isSafeUrl(part.trim().split(/\s+/)[0] ?? '', name))
      ) {
        findings.push(`${name}[srcset=${value}]`);
      }
    }
  }
  return findings;
}

function isSafeUrl(value: string, element: string): boolean {
  // Browsers drop ASCII whitespace and control characters before reading the scheme.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: browsers ignore these characters in URLs.
  const compact = value.replace(/[\u0000-\u0020]/g, '').toLowerCase();
  if (/^(https?:|mailto:|tel:)/.test(compact)) return true;
  // A link within the page (the pages' skip link) loads nothing and runs nothing.
  if (/^#[a-z][\w-]*$/.test(compact)) return true;
  return element === 'img' && /^data:image\/(png|jpeg|gif|webp|avif);/.test(compact);
}
