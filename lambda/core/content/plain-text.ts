import { toXmlSafeText } from './xml-text.ts';

/**
 * A one-line text such as a title, name or category: characters XML cannot carry removed, and
 * every run of whitespace (newlines, tabs, no-break spaces) made one space, since feeds show these
 * on one line and XML parsers would rewrite a carriage return anyway.
 */
export function cleanLine(text: string): string {
  // Vertical tab and form feed are whitespace to a writer, so they become spaces, not nothing.
  return toXmlSafeText(text.replace(/[\v\f]/g, ' '))
    .replace(/[\s\u00a0\u2028\u2029]+/gu, ' ')
    .trim();
}

/** A multi-line text such as a body: characters XML cannot carry removed, line endings made `\n`. */
export function cleanMultiline(text: string): string {
  return toXmlSafeText(text.replace(/[\v\f]/g, ' '))
    .replace(/\r\n?/g, '\n')
    .trim();
}
