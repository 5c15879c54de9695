import { DomUtils, parseDocument } from 'htmlparser2';

/** What a WordPress export (WXR) says of each item beyond RSS, in item order. */
export type WordPressFacts = readonly {
  readonly draft: boolean;
  /** Why the item is not an article to import (a page, an attachment, a private or trashed post). */
  readonly skip?: string;
  readonly excerpt?: string;
}[];

const statusMeaning: Record<string, { draft: boolean; skip?: string }> = {
  publish: { draft: false },
  future: { draft: false },
  draft: { draft: true },
  pending: { draft: true },
  'auto-draft': { draft: true },
  private: { draft: false, skip: 'a private post: left out' },
  trash: { draft: false, skip: 'a trashed post: left out' },
};

/**
 * The WordPress fields of an export's items (status, post type, excerpt), which feed parsers
 * drop; undefined when the document is not a WordPress export.
 */
export function wordPressFacts(xml: string): WordPressFacts | undefined {
  if (!/xmlns:wp="http:\/\/wordpress\.org\/export\//.test(xml)) return undefined;
  const document = parseDocument(xml, { xmlMode: true });
  const text = (item: { children: Parameters<typeof DomUtils.getElementsByTagName>[1] }, name: string) => {
    const [element] = DomUtils.getElementsByTagName(name, item.children, false, 1);
    return element ? DomUtils.textContent(element).trim() : undefined;
  };
  return DomUtils.getElementsByTagName('item', document).map((item) => {
    const type = text(item, 'wp:post_type') ?? 'post';
    const status = text(item, 'wp:status') ?? 'publish';
    const meaning = statusMeaning[status] ?? { draft: true };
    const excerpt = text(item, 'excerpt:encoded') || undefined;
    if (type !== 'post') return { draft: false, skip: `a WordPress ${type}, not a post: left out`, excerpt };
    return { ...meaning, excerpt };
  });
}
