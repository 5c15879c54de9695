/** How archive pages split the history. Busy newsrooms choose `day` so each page stays small. */
export const archivePeriods = ['month', 'day'] as const;
export type ArchivePeriod = (typeof archivePeriods)[number];

export function isArchivePeriod(value: unknown): value is ArchivePeriod {
  return archivePeriods.some((period) => period === value);
}

/**
 * The archive page an article belongs to: `2024-05` or `2024-05-31` (UTC). A pure function of the
 * article's date, so the same articles always give the same pages, however they arrived.
 */
export function periodOf(published: Date, period: ArchivePeriod): string {
  const iso = published.toISOString();
  return period === 'month' ? iso.slice(0, 7) : iso.slice(0, 10);
}
