// A bound on how deeply a template may nest lists and mappings, checked without recursion
// before anything that recurses sees the document: the YAML composer, the JSON syntax checker,
// placeholder substitution, validation, cloning and the diff all walk the tree recursively, and
// a file nested a few thousand levels deep would end them with a bare "Maximum call stack size
// exceeded" (or, for YAML aliases that refer to themselves, never end at all).

import {
  isAlias,
  isCollection,
  isPair,
  LineCounter,
  Parser,
  type CST,
  type Document,
  type Node as YamlNode,
} from 'yaml';
import { isObject, type JsonPath, type JsonValue } from '../lib/json.js';

/**
 * The deepest real task definition nests 8 levels (the describe-output wrapper, `taskDefinition`,
 * `containerDefinitions`, a container, `linuxParameters`, `devices`, a device, `permissions`);
 * 32 leaves room for any field ECS may add while staying far from any stack limit. A test
 * checks the bound against the depth of the SDK's model.
 */
export const MAX_NESTING = 32;

export const TOO_DEEP_MESSAGE =
  `Lists and mappings are nested more than ${MAX_NESTING} levels deep here; no task definition ` +
  'nests that deep, so the file is probably generated wrongly. Flatten it.';

const COLLECTIONS: ReadonlySet<string> = new Set(['block-map', 'block-seq', 'flow-collection']);

/**
 * Where the first list or mapping in `source` (JSON or YAML text) that is nested more than
 * MAX_NESTING levels deep opens (1-based line and column), from the YAML parser's concrete
 * syntax tree, which is built without recursion. Undefined when the text nests no deeper.
 */
export function tooDeepInText(source: string): { line: number; column: number } | undefined {
  // An explicit stack of [token, depth of the collections around it]; children are pushed in
  // reverse so the first deep collection in the text is the one found.
  const stack: [CST.Token, number][] = [];
  const lines = new LineCounter();
  const documents = [...new Parser(lines.addNewLine).parse(source)];
  for (let i = documents.length - 1; i >= 0; i--) stack.push([documents[i], 0]);
  while (stack.length > 0) {
    const [token, around] = stack.pop()!;
    const depth = COLLECTIONS.has(token.type) ? around + 1 : around;
    if (depth > MAX_NESTING) {
      const { line, col } = lines.linePos(token.offset);
      return { line, column: col };
    }
    const children: CST.Token[] = [];
    if (token.type === 'document' && token.value) children.push(token.value);
    if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
      for (const item of token.items as CST.CollectionItem[]) {
        if (item.key) children.push(item.key);
        if (item.value) children.push(item.value);
      }
    }
    for (let j = children.length - 1; j >= 0; j--) stack.push([children[j], depth]);
  }
  return undefined;
}

export const SELF_ALIAS_MESSAGE =
  'This alias refers to a collection it is inside of, so the value would contain itself without end; ' +
  'refer to a collection elsewhere in the file.';

export interface TooDeepAlias {
  offset: number;
  /** An alias inside the collection it refers to, rather than plain depth. */
  selfReference: boolean;
}

interface Visit {
  node: unknown;
  /** Where to point: the node itself, or the outermost alias it was reached through. */
  offset: number;
  viaAlias: boolean;
  ancestors: readonly unknown[];
}

/**
 * The first collection in a parsed YAML document that is nested more than MAX_NESTING levels
 * deep once aliases are followed, found without recursion, so before `toJS` would recurse into
 * it. Aliases can stack anchored collections deeper than the text looks, or make a collection
 * contain itself (`a: &x [*x]`); the walk stops at the bound either way. A collection reached
 * through an alias is reported at the alias, which is where the text makes it nest.
 */
export function tooDeepAlias(document: Document): TooDeepAlias | undefined {
  const stack: Visit[] = [];
  const push = (node: unknown, parent: Omit<Visit, 'node'>): void => {
    if (!node) return;
    const alias = isAlias(node);
    const target = alias ? node.resolve(document) : node;
    if (!isCollection(target)) return;
    const offset = parent.viaAlias ? parent.offset : ((node as YamlNode).range?.[0] ?? 0);
    stack.push({ node: target, offset, viaAlias: parent.viaAlias || alias, ancestors: parent.ancestors });
  };
  // How deep each collection has been walked from: one reached again no deeper than before
  // adds nothing, and skipping it keeps an alias-multiplying file ("billion laughs") cheap.
  const walkedAt = new Map<unknown, number>();
  push(document.contents, { offset: 0, viaAlias: false, ancestors: [] });
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const { node, offset, ancestors } = visit;
    if (ancestors.includes(node)) return { offset, selfReference: true };
    if (ancestors.length >= MAX_NESTING) return { offset, selfReference: false };
    if (!isCollection(node) || (walkedAt.get(node) ?? -1) >= ancestors.length) continue;
    walkedAt.set(node, ancestors.length);
    const inside = { ...visit, ancestors: [...ancestors, node] };
    const items = node.items as unknown[];
    for (let j = items.length - 1; j >= 0; j--) {
      const item = items[j];
      if (isPair(item)) {
        push(item.value, inside);
        push(item.key, inside);
      } else {
        push(item, inside);
      }
    }
  }
  return undefined;
}

/**
 * The path of the first value in `value` nested more than MAX_NESTING levels deep (or inside
 * itself), found without recursion: the same bound for a task definition that did not come from
 * a file, before validation walks it.
 */
export function tooDeepPath(value: JsonValue): JsonPath | undefined {
  const stack: { value: JsonValue; path: JsonPath; ancestors: readonly object[] }[] = [
    { value, path: [], ancestors: [] },
  ];
  while (stack.length > 0) {
    const { value: current, path, ancestors } = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (ancestors.length >= MAX_NESTING || ancestors.includes(current)) return path;
    const inside = [...ancestors, current];
    const entries: [string | number, JsonValue][] = Array.isArray(current)
      ? current.map((item, i) => [i, item])
      : isObject(current)
        ? Object.entries(current)
        : [];
    for (let j = entries.length - 1; j >= 0; j--) {
      stack.push({ value: entries[j][1], path: [...path, entries[j][0]], ancestors: inside });
    }
  }
  return undefined;
}
