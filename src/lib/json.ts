// Plain JSON types and JSON-path helpers. Task definitions are handled as plain JSON, not as
// SDK types, because templates may hold fields this code (or this SDK version) does not know,
// and those must pass through untouched; validation narrows every value it reads.

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}
export type JsonPath = (string | number)[];

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `['containerDefinitions', 0, 'image']` -> `containerDefinitions[0].image` */
export function formatPath(path: JsonPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

/** A deep copy, for pure functions that return a changed document. */
export function cloneJson<T extends JsonValue>(value: T): T {
  return structuredClone(value);
}
