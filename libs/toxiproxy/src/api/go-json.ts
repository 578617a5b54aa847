import { ErrBadRequestBody, type ApiError } from '../api-error.js';

/** A JSON object as decoded from a request body. */
export type JsonObject = Record<string, unknown>;

/**
 * Parse a request body the way Go's json.Decoder reads it: the first JSON value
 * only, with Go's wording for failures (`bad request body: EOF` when empty).
 */
export function decodeJson(text: string): unknown {
  if (text.trim() === '') throw badBody('EOF');
  try {
    return JSON.parse(text);
  } catch (error) {
    const position = errorPosition((error as Error).message);
    // Go stops after the first value, so trailing bytes are not an error.
    if (position !== undefined && position > 0) {
      try {
        return JSON.parse(text.slice(0, position));
      } catch {
        // report the original failure below
      }
    }
    throw badBody(describeSyntaxError(text, (error as Error).message, position));
  }
}

/** `bad request body: <detail>` (400). */
export function badBody(detail: string): ApiError {
  return ErrBadRequestBody.join(detail);
}

/** Go's name for a JSON value's kind in unmarshal errors. */
export function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}

/** The body as an object; null decodes to nothing (Go leaves the defaults). */
export function expectObject(value: unknown, goType: string): JsonObject | undefined {
  if (value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw badBody(`json: cannot unmarshal ${jsonKind(value)} into Go value of type ${goType}`);
  }
  return value as JsonObject;
}

/** A field by name; like Go, an exact key wins, else keys match case-insensitively. */
export function field(object: JsonObject | undefined, key: string): unknown {
  if (!object) return undefined;
  if (Object.hasOwn(object, key)) return object[key];
  const lower = key.toLowerCase();
  const match = Object.keys(object).find((k) => k.toLowerCase() === lower);
  return match === undefined ? undefined : object[match];
}

type FieldKind = 'string' | 'bool' | 'float32' | 'int64';

/**
 * Read a typed field: undefined when absent or null (Go keeps the default),
 * 400 `json: cannot unmarshal ...` when the type is wrong.
 */
export function readField(object: JsonObject | undefined, key: string, kind: 'string', goStruct: string): string | undefined;
export function readField(object: JsonObject | undefined, key: string, kind: 'bool', goStruct: string): boolean | undefined;
export function readField(object: JsonObject | undefined, key: string, kind: 'float32' | 'int64', goStruct: string): number | undefined;
export function readField(object: JsonObject | undefined, key: string, kind: FieldKind, goStruct: string): unknown {
  const value = field(object, key);
  if (value === undefined || value === null) return undefined;
  const where = `Go struct field ${goStruct}.${key} of type ${kind}`;
  const expected = kind === 'string' ? 'string' : kind === 'bool' ? 'boolean' : 'number';
  if (typeof value !== expected) throw badBody(`json: cannot unmarshal ${jsonKind(value)} into ${where}`);
  if (kind === 'int64' && !Number.isSafeInteger(value)) throw badBody(`json: cannot unmarshal number ${String(value)} into ${where}`);
  return value;
}

/** JSON text as Go's encoding/json writes it (HTML-sensitive characters escaped). */
export function goStringify(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function errorPosition(message: string): number | undefined {
  const match = /position (\d+)/.exec(message);
  return match ? Number(match[1]) : undefined;
}

function describeSyntaxError(text: string, message: string, position: number | undefined): string {
  if (/end of JSON input/i.test(message)) return 'unexpected EOF';
  const token = /Unexpected token '?(.)'?/.exec(message)?.[1] ?? (position !== undefined ? text[position] : undefined);
  if (position !== undefined && position >= text.trimEnd().length) return 'unexpected EOF';
  return token === undefined ? 'unexpected EOF' : `invalid character '${token}' looking for beginning of value`;
}
