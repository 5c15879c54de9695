import { categorySlug } from './category-slug.ts';

/** A category's feed folder under the feeds root. */
export function categoryFolder(name: string): string {
  return `categories/${categorySlug(name)}/`;
}

/** The folder of one archive period of a feed set ('' or a category's folder). */
export function archiveFolder(setFolder: string, period: string): string {
  return `${setFolder}archive/${period}/`;
}
