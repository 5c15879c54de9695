import type { Element } from 'xml-js';
import { mapStrings } from './xml-tree.ts';

/**
 * The `feed` package escapes text incompletely (only the first `]]>` in CDATA, `<` and `&` not at
 * all in attributes). So free text goes to it as an opaque marker, and after its XML is parsed
 * back, each marker is replaced by the real text, which our serializer then escapes completely.
 * Markers use Unicode noncharacters, which are stripped from every input text.
 */
export class TextSlots {
  private readonly values: string[] = [];

  /** Returns a marker standing for `text`. */
  readonly slot = (text: string): string => {
    this.values.push(text);
    return `\ufdd0${this.values.length - 1}\ufdd1`;
  };

  /** Replaces every marker in the tree with the text it stands for. */
  fill(tree: Element): void {
    mapStrings(tree, (value) =>
      value.replace(/\ufdd0(\d+)\ufdd1/g, (_, index: string) => this.values[Number(index)] ?? ''),
    );
  }
}
