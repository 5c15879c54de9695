import MarkdownIt from 'markdown-it';

// CommonMark with raw HTML off: Markdown records cannot smuggle markup past the HTML cleanup.
const markdown = new MarkdownIt('commonmark', { html: false, linkify: false, typographer: false });

export function markdownToHtml(source: string): string {
  return markdown.render(source).trim();
}
