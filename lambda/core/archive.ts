import type { Article } from './model.ts';

/** Which articles went into each sealed archive page, oldest page first. */
export interface ArchiveState {
  readonly pages: readonly (readonly string[])[];
}

export interface SealedPage {
  /** 1 for the oldest page. */
  readonly number: number;
  /** Newest first. */
  readonly articles: readonly Article[];
}

export interface ArchivePlan {
  readonly state: ArchiveState;
  /** Pages that filled up in this run: written once, never again. */
  readonly newPages: readonly SealedPage[];
  readonly pageCount: number;
}

export const archiveFolder = (page: number): string => `archive/${page}/`;

/**
 * RFC 5005 archives of fixed-size pages. Visible articles not yet archived form the open tail;
 * each time it holds a whole page, its oldest `pageSize` articles are sealed into the next page.
 * A sealed page is never rendered again, so its bytes (and long cache lifetime) stay valid, and
 * the cost of a publish does not grow with the archive.
 */
export function planArchive(
  visible: readonly Article[],
  previous: ArchiveState,
  pageSize: number,
): ArchivePlan {
  const archived = new Set(previous.pages.flat());
  const tail = visible.filter((article) => !archived.has(article.key)).reverse();
  const pages = [...previous.pages];
  const newPages: SealedPage[] = [];
  for (let start = 0; tail.length - start >= pageSize; start += pageSize) {
    const page = tail.slice(start, start + pageSize);
    pages.push(page.map((article) => article.key));
    newPages.push({ number: pages.length, articles: [...page].reverse() });
  }
  return { state: { pages }, newPages, pageCount: pages.length };
}
