import { DomUtils, parseDocument } from 'htmlparser2';

/** The text of each `<p>` in an HTML fragment, as a browser would show it. */
export function paragraphTexts(html: string): string[] {
  const document = parseDocument(html);
  return DomUtils.getElementsByTagName('p', document).map((paragraph) => DomUtils.textContent(paragraph));
}
