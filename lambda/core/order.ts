import type { Article } from './model.ts';

/** Code-unit order: the same on every machine, unlike localeCompare. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Feed order: newest first; ties broken by id so the order never depends on how articles arrived. */
export function newestFirst(a: Pick<Article, 'published' | 'id'>, b: Pick<Article, 'published' | 'id'>) {
  return b.published.getTime() - a.published.getTime() || compareText(a.id, b.id);
}

/**
 * The order listings come in: by UTF-8 bytes, as S3 lists keys. Two sorted listings (records and
 * record states) are compared by walking both at once, so both must use this one order.
 */
export function compareKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index += 1) {
    const x = a.charCodeAt(index);
    const y = b.charCodeAt(index);
    if (x === y) continue;
    // UTF-16 units order as code points (and so as UTF-8 bytes) except a surrogate, whose code
    // point is above U+FFFF, against a unit from U+E000 up.
    const xHigh = x >= 0xd800 && x <= 0xdfff;
    const yHigh = y >= 0xd800 && y <= 0xdfff;
    if (xHigh !== yHigh && (xHigh ? y >= 0xe000 : x >= 0xe000)) return xHigh ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
