import { paragraphsToHtml } from './html.ts';

/** Plain text with blank-line-separated paragraphs -> HTML paragraphs. */
export function textToHtml(text: string): string {
  const paragraphs = text
    .split(/\r?\n\s*\r?\n/)
    .map((paragraph) => paragraph.replace(/\s+/g, ' ').trim())
    .filter((paragraph) => paragraph !== '');
  return paragraphsToHtml(paragraphs);
}
