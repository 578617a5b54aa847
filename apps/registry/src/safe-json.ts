import secureJson from 'secure-json-parse';

/**
 * JSON.parse for anything that becomes registry state (client bodies, peer
 * batches, a peer's registry): a `__proto__` key, or a `constructor` key
 * holding `prototype`, is dropped rather than kept, as Fastify's own parser
 * would (there with an error). Plain JSON.parse keeps `__proto__` as an own
 * key, which a later `Object.assign` or `target[key] = value` turns into a
 * prototype change. Dropping, not refusing: a Spring client with such a
 * metadata key still registers, without it. Throws SyntaxError on bad JSON.
 */
export function parseJsonSafely(text: string): unknown {
  return secureJson.parse(text, undefined, { protoAction: 'remove', constructorAction: 'remove' });
}
