import { type Document, isMap, isScalar, isSeq } from 'yaml';

/**
 * The line of every field in a parsed JSON or YAML document, by the name problems use
 * (`title`, `image.url`, `authors[1].email`), so a problem can point at the line to fix.
 * `firstLine` is the file's line the document starts on (front matter starts on line 2).
 */
export function fieldLines(document: Document, text: string, firstLine = 1): ReadonlyMap<string, number> {
  const starts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1))
    starts.push(index + 1);
  const lineOf = (offset: number) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((starts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return low + firstLine;
  };
  const lines = new Map<string, number>();
  const walk = (node: unknown, name: string) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isScalar(pair.key) || !pair.key.range) continue;
        const field = `${name === '' ? '' : `${name}.`}${String(pair.key.value)}`;
        lines.set(field, lineOf(pair.key.range[0]));
        walk(pair.value, field);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        const field = `${name}[${index}]`;
        const range = (item as { range?: [number, number, number] }).range;
        if (range) lines.set(field, lineOf(range[0]));
        walk(item, field);
      });
    }
  };
  walk(document.contents, '');
  return lines;
}

/** The line of a field, or of the nearest enclosing one (`authors[1]` for `authors[1].email`). */
export function lineOfField(lines: ReadonlyMap<string, number>, field: string): number | undefined {
  for (let name = field; name !== ''; name = name.replace(/(\.[^.[\]]*|\[\d+\])$/, '')) {
    const line = lines.get(name);
    if (line !== undefined) return line;
    if (!/(\.[^.[\]]*|\[\d+\])$/.test(name)) break;
  }
  return undefined;
}
