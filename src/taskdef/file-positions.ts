// Maps a path into a loaded template back to where it is written in the file, so every later
// problem (a placeholder, a validation rule) can name its line and column. It follows YAML
// aliases to their anchors and merge keys (`<<: *defaults`) to the mapping they merge.

import { isAlias, isMap, isScalar, isSeq, type Document, type Node as YamlNode } from 'yaml';
import type { Problem } from '../lib/problems.js';
import { isDescribeOutput } from '../lib/taskdef-shape.js';
import type { JsonObject, JsonPath } from '../lib/json.js';

export interface Position {
  /** 1-based */
  line: number;
  /** 1-based */
  column: number;
}

/** One template file's text, and how a problem in it is placed. */
export interface TemplateText {
  file: string;
  /** The text as parsed: without a byte-order mark. */
  source: string;
  format: 'json' | 'yaml';
  /** The line and column of a character offset into `source`. */
  at(offset: number): Position;
  /** An error in this file, at `pos` when it is known. */
  problem(message: string, pos: Position | undefined): Problem;
}

export interface FilePositions {
  /** See LoadedTemplate.positionOf. */
  positionOf(path: JsonPath, offset?: number): Position | undefined;
  /** See LoadedTemplate.keyPositionOf. */
  keyPositionOf(path: JsonPath): Position | undefined;
}

/** Positions in `text` of the values of `raw`, the mapping `document` holds, before normalising. */
export function filePositions(document: Document, raw: JsonObject, text: TemplateText): FilePositions {
  const positionOf = (path: JsonPath, offset?: number): Position | undefined => {
    const found = findNode(document, filePathOf(raw, path));
    return found ? valuePosition(found, text, offset) : undefined;
  };
  const keyPositionOf = (path: JsonPath): Position | undefined => {
    const found = findNode(document, filePathOf(raw, path));
    return found?.keyStart === undefined ? positionOf(path) : text.at(found.keyStart);
  };
  return { positionOf, keyPositionOf };
}

/** Maps a path into the normalised doc to the same value's path in the file. */
function filePathOf(raw: JsonObject, path: JsonPath): JsonPath {
  if (!isDescribeOutput(raw)) return path;
  if (path[0] === 'tags' && 'tags' in raw) return path;
  return ['taskDefinition', ...path];
}

/** Where a found value starts, or the character `offset` into it when that can be told. */
function valuePosition(found: Found, text: TemplateText, offset: number | undefined): Position | undefined {
  const { node, keyStart } = found;
  // Parsed nodes always have a range; `key:` with no value has no node, so point at the key.
  const empty = !node?.range || (isScalar(node) && node.value === null && node.range[0] === node.range[1]);
  if (empty || !node?.range) return keyStart === undefined ? undefined : text.at(keyStart);
  const range = node.range;
  const start = range[0];
  if (offset !== undefined && offset >= 0 && isScalar(node) && typeof node.value === 'string') {
    // Only when the characters in the file are the characters of the value, one for one.
    const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
    if (quoted || node.type === 'PLAIN') {
      const textStart = quoted ? start + 1 : start;
      const written = text.source.slice(textStart, quoted ? range[1] - 1 : range[1]);
      if (written === node.value && offset <= written.length) return text.at(textStart + offset);
    }
  }
  return text.at(start);
}

interface Found {
  node: YamlNode | null;
  /** Offset of the key, for a mapping entry whose value is empty. */
  keyStart?: number;
}

function findNode(document: Document, path: JsonPath): Found | undefined {
  let current: Found = { node: document.contents };
  for (const part of path) {
    const node = resolve(document, current.node);
    if (typeof part === 'number' && isSeq(node)) {
      const item = node.items[part] as YamlNode | undefined;
      if (item === undefined) return undefined;
      current = { node: item };
    } else if (typeof part === 'string' && isMap(node)) {
      const next = findInMap(document, node, part, 0);
      if (!next) return undefined;
      current = next;
    } else {
      return undefined;
    }
  }
  return { ...current, node: resolve(document, current.node) };
}

function resolve(document: Document, node: YamlNode | null): YamlNode | null {
  // An alias's value is written at its anchor; that is where a fix goes.
  return isAlias(node) ? ((node.resolve(document) as YamlNode | undefined) ?? null) : node;
}

function findInMap(document: Document, map: YamlNode, key: string, depth: number): Found | undefined {
  if (!isMap(map) || depth > 20) return undefined;
  const merges: YamlNode[] = [];
  for (const pair of map.items) {
    const k = pair.key;
    if (isScalar(k) && typeof k.value === 'symbol') {
      // `<<: *a` or `<<: [*a, *b]`; own keys win over merged ones, earlier sources over later.
      const value = resolve(document, pair.value as YamlNode | null);
      if (isSeq(value))
        merges.push(
          ...value.items.map((item) => resolve(document, item as YamlNode)).filter((n) => n !== null),
        );
      else if (value) merges.push(value);
      continue;
    }
    if (isScalar(k) && String(k.value ?? '') === key) {
      return { node: (pair.value as YamlNode | null) ?? null, keyStart: k.range?.[0] };
    }
  }
  for (const source of merges) {
    const found = findInMap(document, source, key, depth + 1);
    if (found) return found;
  }
  return undefined;
}
