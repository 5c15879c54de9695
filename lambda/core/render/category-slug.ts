import { createHash } from 'node:crypto';

/**
 * The folder name of a category's feeds: lower case, Latin letters without their accents
 * ("Économie" -> "economie"), other scripts kept as they are ("Мир" -> "мир", percent-encoded in
 * URLs), any other run of characters a single '-'. The same name always gives the same slug;
 * a name with no letters or digits at all gets one from its hash.
 */
export function categorySlug(name: string): string {
  const slug = [...name.normalize('NFKC').toLowerCase()]
    .map((char) => {
      const base = char.normalize('NFKD').replace(/\p{M}/gu, '');
      return /^[a-z0-9]$/.test(base) ? base : char;
    })
    .join('')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return slug === ''
    ? `category-${createHash('sha1').update(name, 'utf8').digest('hex').slice(0, 10)}`
    : slug;
}
