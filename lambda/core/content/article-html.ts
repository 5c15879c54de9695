import type { Article } from '../model.ts';
import { escapeHtml } from './html.ts';

/** The article's full HTML as readers show it: the photo (or its caption and credit) and then the body. */
export function articleHtml(article: Article): string {
  const { image } = article;
  if (!image || (!image.url && !image.caption && !image.credit)) return article.contentHtml;
  const picture = image.url
    ? `<img src="${escapeHtml(image.url)}" alt="${escapeHtml(image.alt ?? '')}">`
    : '';
  const captionParts = [
    image.caption ? escapeHtml(image.caption) : '',
    image.credit ? `<small>${escapeHtml(image.credit)}</small>` : '',
  ].filter((part) => part !== '');
  const caption = captionParts.length > 0 ? `<figcaption>${captionParts.join(' ')}</figcaption>` : '';
  return `<figure>${picture}${caption}</figure>\n${article.contentHtml}`;
}
