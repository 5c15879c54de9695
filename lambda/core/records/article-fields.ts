import type { Article } from '../model.ts';

/**
 * What a record says about its article, validated and typed, before the publisher assigns the
 * id: the record's own `id` is only a request, and `updated` defaults to the publication date.
 */
export type ArticleFields = Omit<Article, 'id' | 'key' | 'updated'> & {
  readonly id?: string;
  readonly updated?: Date;
  /** The field the content came from, for messages about it ('(body)' for a record's body). */
  readonly contentField?: string;
  /** The line of that field in the file, when known. */
  readonly contentLine?: number;
};
