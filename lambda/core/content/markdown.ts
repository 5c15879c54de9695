import MarkdownIt from 'markdown-it';

// CommonMark; raw HTML is allowed because every body goes through the sanitizer afterwards.
const markdown = new MarkdownIt('commonmark', { html: true, linkify: false, typographer: false });

export function markdownToHtml(source: string): string {
  return markdown.render(source).trim();
}
