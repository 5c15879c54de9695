import { XMLParser } from 'fast-xml-parser';
import { SaxesParser } from 'saxes';

/** Throws unless `xml` is a well-formed, namespace-correct XML 1.0 document (strict parser). */
export function assertWellFormed(xml: string): void {
  const parser = new SaxesParser({ xmlns: true });
  let failure: Error | undefined;
  parser.on('error', (error) => {
    failure ??= error;
  });
  parser.write(xml).close();
  if (failure) throw failure;
}

/** Parses XML with an independent parser into plain objects (attributes under '@_'). */
export function parseXmlObject(xml: string): Record<string, unknown> {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseTagValue: false,
    trimValues: true,
    isArray: (name) => ['item', 'entry', 'category', 'link', 'dc:creator', 'author'].includes(name),
  });
  return parser.parse(xml) as Record<string, unknown>;
}

/** The text of a node as fast-xml-parser gives it: a string, or `#text` beside attributes. */
export function xmlText(value: unknown): string {
  return typeof value === 'object' && value !== null
    ? String((value as Record<string, unknown>)['#text'] ?? '')
    : String(value ?? '');
}
