import { type Element, xml2js } from 'xml-js';
import { toXmlSafeText } from '../content/xml-text.ts';

/**
 * A small element tree for finishing what the `feed` package renders: parse its output, fix
 * the parts it gets wrong, and write the XML back with complete escaping.
 */
export type XmlElement = Element & { type: 'element'; name: string };

/** Parses an XML document and returns its root element. */
export function parseXml(xml: string): XmlElement {
  const document = xml2js(xml, { compact: false, captureSpacesBetweenElements: false }) as Element;
  const root = document.elements?.find((node) => node.type === 'element');
  if (!root) throw new Error('the document has no root element');
  return root as XmlElement;
}

export function childElements(parent: Element, name?: string): XmlElement[] {
  return (parent.elements ?? []).filter(
    (node): node is XmlElement => node.type === 'element' && (name === undefined || node.name === name),
  );
}

export function firstChild(parent: Element, name: string): XmlElement | undefined {
  return childElements(parent, name)[0];
}

export function element(
  name: string,
  attributes: Record<string, string | number | undefined> = {},
  content?: string | readonly XmlElement[],
): XmlElement {
  const defined = Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== undefined));
  const elements: Element[] =
    content === undefined
      ? []
      : typeof content === 'string'
        ? [{ type: 'text', text: content }]
        : [...content];
  return { type: 'element', name, attributes: defined, elements };
}

/** The text an element holds, its text and CDATA children joined. */
export function textOf(target: Element | undefined): string {
  return (target?.elements ?? [])
    .map((node) =>
      node.type === 'text' ? String(node.text ?? '') : node.type === 'cdata' ? String(node.cdata ?? '') : '',
    )
    .join('');
}

/**
 * The article each rendered item is for, by its id (RSS guid, Atom id) rather than by position,
 * so a reordering by the renderer can never put one article's extras on another's item.
 */
export function articleFor<T extends { readonly id: string }>(articles: readonly T[], id: string): T {
  const article = articles.find((candidate) => candidate.id === id);
  if (!article) throw new Error(`rendered an item with id '${id}' that no article has`);
  return article;
}

/** Replaces the content of `target` with one text node. */
export function setText(target: Element, text: string): void {
  target.elements = [{ type: 'text', text }];
}

/** Removes the children named `name`; returns the index where the first one was, or -1. */
export function removeChildren(parent: Element, name: string): number {
  const index = (parent.elements ?? []).findIndex((node) => node.type === 'element' && node.name === name);
  parent.elements = (parent.elements ?? []).filter(
    (node) => !(node.type === 'element' && node.name === name),
  );
  return index;
}

/** Inserts `children` at `index` (or at the end when index is -1). */
export function insertChildren(parent: Element, index: number, children: readonly XmlElement[]): void {
  const elements = parent.elements ?? [];
  elements.splice(index < 0 ? elements.length : index, 0, ...children);
  parent.elements = elements;
}

/** Applies `replace` to every text, CDATA and attribute value in the tree. */
export function mapStrings(node: Element, replace: (value: string) => string): void {
  if (node.text !== undefined) node.text = replace(String(node.text));
  if (node.cdata !== undefined) node.cdata = replace(node.cdata);
  for (const [name, value] of Object.entries(node.attributes ?? {})) {
    if (value !== undefined) (node.attributes ?? {})[name] = replace(String(value));
  }
  for (const child of node.elements ?? []) mapStrings(child, replace);
}

/** Writes a complete XML document: every value escaped, every `]]>` split, no illegal characters. */
export function serializeXml(root: XmlElement): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${writeElement(root, 0)}\n`;
}

function writeElement(node: Element, depth: number): string {
  const indent = '  '.repeat(depth);
  const attributes = Object.entries(node.attributes ?? {})
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => ` ${name}="${escapeAttribute(String(value))}"`)
    .join('');
  const children = node.elements ?? [];
  if (children.length === 0) return `${indent}<${node.name}${attributes}/>`;
  if (children.every((child) => child.type === 'element')) {
    const inner = children.map((child) => writeElement(child, depth + 1)).join('\n');
    return `${indent}<${node.name}${attributes}>\n${inner}\n${indent}</${node.name}>`;
  }
  const inner = children.map((child) => writeInline(child)).join('');
  return `${indent}<${node.name}${attributes}>${inner}</${node.name}>`;
}

function writeInline(node: Element): string {
  if (node.type === 'text') return escapeText(String(node.text ?? ''));
  if (node.type === 'cdata') return writeCdata(node.cdata ?? '');
  if (node.type === 'element') return writeElement(node, 0);
  return '';
}

function writeCdata(text: string): string {
  return `<![CDATA[${toXmlSafeText(text).replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

function escapeText(text: string): string {
  // A raw carriage return would reach readers as a newline; the character reference keeps it.
  return toXmlSafeText(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
}

function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}
