/**
 * Characters XML 1.0 cannot carry (C0 controls but tab/LF/CR, U+FFFE/U+FFFF, unpaired surrogates)
 * and the Unicode noncharacters U+FDD0-U+FDEF, which the renderers reserve for their own use.
 */
const notInXml =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufdd0-\ufdef\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Removes every character that would make XML ill-formed or JSON Feed unreadable. */
export function toXmlSafeText(text: string): string {
  return text.replace(notInXml, '');
}
