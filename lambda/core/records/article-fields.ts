import type { ArticleImage, Attachment, Person } from '../model.ts';

/** What a record says about its article, validated and typed, before the publisher assigns an id. */
export interface ArticleFields {
  readonly id?: string;
  readonly title: string;
  readonly published: Date;
  readonly updated?: Date;
  readonly summary?: string;
  readonly contentHtml: string;
  readonly url?: string;
  readonly authors: readonly Person[];
  readonly categories: readonly string[];
  readonly tags: readonly string[];
  readonly image?: ArticleImage;
  readonly attachments: readonly Attachment[];
  readonly language?: string;
  readonly source?: string;
  readonly dateline?: string;
  readonly draft: boolean;
  readonly expires?: Date;
}
