import { ErrInvalidStream, ErrInvalidToxicType, ErrToxicAlreadyExists, ErrToxicNotFound } from '../api-error.js';
import type { Proxy } from '../proxy/proxy.js';
import { toxicJson, type Direction, type ToxicDefinition } from '../toxics/toxic-definition.js';
import { toxicType, type ToxicType } from '../toxics/toxic-registry.js';
import type { ToxicAttributes } from '../toxics/toxic-stage.js';
import { jsonReply, noContent, type Handler } from './api-reply.js';
import { badBody, decodeJson, expectObject, field, jsonKind, readField, type JsonObject } from './go-json.js';

export const listToxics: Handler = async ({ manager, params }) =>
  jsonReply(200, manager.get(params.proxy).toxics.list().map(toxicJson));

/**
 * POST /proxies/{proxy}/toxics: 200 with the toxic. Defaults: stream
 * downstream, toxicity 1, name `<type>_<stream>`. Checks run in Toxiproxy's order:
 * body, stream, type, duplicate name, attributes.
 */
export const createToxic: Handler = async ({ manager, params, body }) => {
  const proxy = manager.get(params.proxy);
  const input = expectObject(decodeJson(body), 'toxics.ToxicWrapper');
  const type = readField(input, 'type', 'string', 'ToxicWrapper') ?? '';
  const stream = readField(input, 'stream', 'string', 'ToxicWrapper') ?? 'downstream';
  const toxicity = readField(input, 'toxicity', 'float32', 'ToxicWrapper') ?? 1;
  let name = readField(input, 'name', 'string', 'ToxicWrapper') ?? '';
  const rawAttributes = field(input, 'attributes');
  const direction = parseDirection(stream);
  if (name === '') name = `${type}_${stream}`;
  const kind = toxicType(type);
  if (!kind) throw ErrInvalidToxicType;
  if (proxy.toxics.find(name)) throw ErrToxicAlreadyExists;
  const attributes = mergeAttributes(kind, zeroAttributes(kind), rawAttributes);
  const toxic: ToxicDefinition = { name, type, stream, direction, toxicity, attributes, kind };
  proxy.toxics.add(toxic);
  return jsonReply(200, toxicJson(toxic));
};

export const showToxic: Handler = async ({ manager, params }) =>
  jsonReply(200, toxicJson(findToxic(manager.get(params.proxy), params.toxic)));

/** POST/PATCH /proxies/{proxy}/toxics/{toxic}: merges attributes, may change toxicity. */
export const updateToxic: Handler = async ({ manager, params, body }) => {
  const proxy = manager.get(params.proxy);
  const toxic = findToxic(proxy, params.toxic);
  const input = expectObject(decodeJson(body), 'struct { Attributes interface {} "json:\\"attributes\\""; Toxicity float32 "json:\\"toxicity\\"" }');
  const attributes = mergeAttributes(toxic.kind, toxic.attributes, field(input, 'attributes'));
  const toxicity = readField(input, 'toxicity', 'float32', 'ToxicWrapper') ?? toxic.toxicity;
  toxic.attributes = attributes;
  toxic.toxicity = toxicity;
  proxy.toxics.updated(toxic);
  return jsonReply(200, toxicJson(toxic));
};

export const deleteToxic: Handler = async ({ manager, params }) => {
  const proxy = manager.get(params.proxy);
  proxy.toxics.remove(findToxic(proxy, params.toxic));
  return noContent();
};

function findToxic(proxy: Proxy, name: string): ToxicDefinition {
  const toxic = proxy.toxics.find(name);
  if (!toxic) throw ErrToxicNotFound;
  return toxic;
}

function parseDirection(stream: string): Direction {
  const lower = stream.toLowerCase();
  if (lower === 'upstream' || lower === 'downstream') return lower;
  throw ErrInvalidStream;
}

function zeroAttributes(kind: ToxicType): ToxicAttributes {
  return Object.fromEntries(kind.attributes.map((name) => [name, 0]));
}

/**
 * Overlay the given attributes on `base` (integers only), then refuse values
 * the real server would crash on. `base` is not modified.
 */
function mergeAttributes(kind: ToxicType, base: ToxicAttributes, raw: unknown): ToxicAttributes {
  const merged = { ...base };
  if (raw !== undefined && raw !== null) {
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      throw badBody(`json: cannot unmarshal ${jsonKind(raw)} into Go struct field ToxicWrapper.attributes of type toxics.${kind.goName}`);
    }
    for (const name of kind.attributes) {
      const value = readField(raw as JsonObject, name, 'int64', `${kind.goName}`);
      if (value !== undefined) merged[name] = value;
    }
  }
  const problem = kind.validate(merged);
  if (problem) throw badBody(`attributes: ${problem}`);
  return merged;
}
