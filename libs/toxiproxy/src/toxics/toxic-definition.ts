import type { ToxicType } from './toxic-registry.js';
import type { ToxicAttributes } from './toxic-stage.js';

/** `upstream` is client -> server, `downstream` is server -> client. */
export type Direction = 'upstream' | 'downstream';

/** A toxic as configured through the API (shared by every connection of a proxy). */
export interface ToxicDefinition {
  readonly name: string;
  readonly type: string;
  /** The stream as the client spelled it; Toxiproxy echoes it back unchanged. */
  readonly stream: string;
  readonly direction: Direction;
  toxicity: number;
  attributes: ToxicAttributes;
  readonly kind: ToxicType;
}

/** The toxic's JSON shape, keys in Toxiproxy's order. */
export interface ToxicJson {
  attributes: ToxicAttributes;
  name: string;
  type: string;
  stream: string;
  toxicity: number;
}

export function toxicJson(toxic: ToxicDefinition): ToxicJson {
  return {
    attributes: { ...toxic.attributes },
    name: toxic.name,
    type: toxic.type,
    stream: toxic.stream,
    toxicity: toxic.toxicity,
  };
}
