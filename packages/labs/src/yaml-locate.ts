// Turning a field path (from zod or a cross-reference check) into the line of lab.yaml where the
// author wrote it, so every error reads `lab.yaml:42 questions[3].check.node: ...`.
import { isMap, isScalar, isSeq, type Document, type LineCounter } from 'yaml';

export type FieldPath = ReadonlyArray<string | number>;

/** `links[2].segment` -> `['links', 2, 'segment']` (the inverse of formatFieldPath, from @praxis/sandbox). */
export function parseFieldPath(text: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of text.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[1] !== undefined) out.push(m[1]);
  }
  return out;
}

/**
 * The 1-based line of the deepest node of `path` that exists in the document: the field itself
 * when present, else the closest parent (a missing required field is reported on its parent).
 */
export function locateField(doc: Document, lines: LineCounter, path: ReadonlyArray<PropertyKey>): number {
  const lineAt = (offset: number) => lines.linePos(offset).line;
  let node: unknown = doc.contents;
  let line = node && typeof node === 'object' && 'range' in node && Array.isArray(node.range) ? lineAt(node.range[0] as number) : 1;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(part));
      if (!pair) break;
      const key = pair.key as { range?: [number, number, number] };
      if (key.range) line = lineAt(key.range[0]);
      node = pair.value;
    } else if (isSeq(node) && typeof part === 'number') {
      const item = node.items[part] as { range?: [number, number, number] } | undefined;
      if (!item) break;
      if (item.range) line = lineAt(item.range[0]);
      node = item;
    } else {
      break;
    }
  }
  return line;
}
