/** One item of a feed as a preview names it. */
export interface ItemName {
  readonly id: string;
  readonly title: string;
}

/** Which items a feed gains, loses or has changed between two versions of its JSON Feed. */
export interface ItemChanges {
  readonly added: readonly ItemName[];
  readonly changed: readonly ItemName[];
  readonly removed: readonly ItemName[];
}

interface JsonFeedItem {
  readonly id?: unknown;
  readonly title?: unknown;
}

function itemsOf(text: string | undefined): Map<string, { name: ItemName; text: string }> {
  const items = new Map<string, { name: ItemName; text: string }>();
  if (text === undefined) return items;
  let parsed: { items?: unknown };
  try {
    parsed = JSON.parse(text) as { items?: unknown };
  } catch {
    return items;
  }
  if (!Array.isArray(parsed.items)) return items;
  for (const item of parsed.items as JsonFeedItem[]) {
    if (typeof item?.id !== 'string') continue;
    const title = typeof item.title === 'string' ? item.title : '';
    items.set(item.id, { name: { id: item.id, title }, text: JSON.stringify(item) });
  }
  return items;
}

/**
 * The items of a feed (its feed.json) before and after a publish, compared by id: what a
 * subscriber would see arrive, change or leave. Either side may be absent (a new or removed feed).
 */
export function compareFeedItems(before: string | undefined, after: string | undefined): ItemChanges {
  const old = itemsOf(before);
  const next = itemsOf(after);
  const added: ItemName[] = [];
  const changed: ItemName[] = [];
  const removed: ItemName[] = [];
  for (const [id, item] of next) {
    const previous = old.get(id);
    if (!previous) added.push(item.name);
    else if (previous.text !== item.text) changed.push(item.name);
  }
  for (const [id, item] of old) if (!next.has(id)) removed.push(item.name);
  return { added, changed, removed };
}
