// The shape of RegisterTaskDefinition's input as the bundled AWS SDK knows it, read from the
// SDK's own ECS API model (the static schemas that @aws-sdk/client-ecs exports and that its
// serializer walks), never from a list kept by hand. The serializer sends exactly the members
// of these shapes and drops every other key without a word, so this model is what decides
// whether a template field ever reaches ECS.
//
// A static schema is a tuple (see @smithy/types, static-schemas.d.ts): [3, namespace, name,
// traits, memberNames, memberSchemas] for a structure, [1, ..., member] for a list, [2, ...,
// key, value] for a map, [0, ..., ref] for a named simple type; a member schema may be wrapped as
// [ref, traits], a reference may be a thunk, and a plain number is a simple type, with 64 (list
// of) and 128 (map of) as modifier bits.

import { RegisterTaskDefinitionRequest$ } from '@aws-sdk/client-ecs';
import ecsPackage from '@aws-sdk/client-ecs/package.json' with { type: 'json' };
import type { JsonPath } from '../lib/json.js';

/** The version of @aws-sdk/client-ecs bundled into the action, named in unknown-field errors. */
export const ECS_SDK_VERSION: string = ecsPackage.version;

export type ScalarType = 'string' | 'number' | 'boolean' | 'other';

export type FieldShape =
  | StructureShape
  | { kind: 'list'; member: FieldShape }
  | { kind: 'map'; value: FieldShape }
  | { kind: 'scalar'; type: ScalarType };

/** A structure; its members are read on first use, so a recursive model cannot loop. */
export class StructureShape {
  readonly kind = 'structure';
  #members: ReadonlyMap<string, FieldShape> | undefined;

  constructor(
    /** The model's name for it, e.g. `ContainerDefinition`. */
    readonly name: string,
    private readonly names: readonly string[],
    private readonly refs: readonly unknown[],
  ) {}

  get members(): ReadonlyMap<string, FieldShape> {
    this.#members ??= new Map(this.names.map((name, i) => [name, shapeOf(this.refs[i])]));
    return this.#members;
  }
}

const LIST_OF = 0b0100_0000;
const MAP_OF = 0b1000_0000;

// One shape object per schema object: shared shapes (Tags, KeyValuePair) are read once.
const cache = new Map<unknown, FieldShape>();

function simple(id: number): FieldShape {
  if (id & MAP_OF) return { kind: 'map', value: simple(id & ~MAP_OF) };
  if (id & LIST_OF) return { kind: 'list', member: simple(id & ~LIST_OF) };
  if (id === 0) return { kind: 'scalar', type: 'string' };
  if (id === 1) return { kind: 'scalar', type: 'number' };
  if (id === 2) return { kind: 'scalar', type: 'boolean' };
  return { kind: 'scalar', type: 'other' };
}

/** Reads one schema reference. Anything this reader does not understand is an opaque scalar. */
function shapeOf(ref: unknown): FieldShape {
  const schema = typeof ref === 'function' ? (ref as () => unknown)() : ref;
  if (typeof schema === 'number') return simple(schema);
  if (!Array.isArray(schema)) return simple(-1);
  // A member wrapped with its traits: [ref, traits]. A schema tuple has its namespace second.
  if (typeof schema[1] !== 'string') return shapeOf(schema[0]);
  const cached = cache.get(schema);
  if (cached) return cached;
  const [id, , name] = schema as [number, string, string];
  let shape: FieldShape;
  if (id === 3 || id === 4 || id === -3) {
    shape = new StructureShape(name, schema[4] as string[], schema[5] as unknown[]);
  } else if (id === 1) {
    shape = { kind: 'list', member: shapeOf(schema[4]) };
  } else if (id === 2) {
    shape = { kind: 'map', value: shapeOf(schema[5]) };
  } else if (id === 0) {
    shape = shapeOf(schema[4]);
  } else {
    shape = simple(-1);
  }
  cache.set(schema, shape);
  return shape;
}

/** RegisterTaskDefinition's input: the top level of a task definition. */
export const TASK_DEFINITION_SHAPE: StructureShape = (() => {
  const shape = shapeOf(RegisterTaskDefinitionRequest$);
  if (!(shape instanceof StructureShape) || !shape.members.has('containerDefinitions')) {
    // Only an SDK whose schema format changed gets here; the tests read the model too.
    throw new Error(
      'The bundled @aws-sdk/client-ecs has no RegisterTaskDefinitionRequest schema this action can read.',
    );
  }
  return shape;
})();

/**
 * The model's shape of the value at `path` in a task definition, or undefined when the path
 * leaves the model (an unknown field, or an index into something that is not a list).
 */
export function shapeAt(path: JsonPath): FieldShape | undefined {
  let shape: FieldShape | undefined = TASK_DEFINITION_SHAPE;
  for (const part of path) {
    if (!shape) return undefined;
    if (shape.kind === 'list') shape = typeof part === 'number' ? shape.member : undefined;
    else if (shape.kind === 'map') shape = typeof part === 'string' ? shape.value : undefined;
    else if (shape.kind === 'structure')
      shape = typeof part === 'string' ? shape.members.get(part) : undefined;
    else return undefined;
  }
  return shape;
}
