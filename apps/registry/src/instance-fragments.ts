import { encodeInstance } from './instance.codec.js';
import type { InstanceInfo } from './instance-info.js';
import { xmlElement } from './xml.codec.js';

export type WireFormat = 'json' | 'xml';

/**
 * One instance version encoded once, as the bytes that go between its
 * neighbours in every payload that lists it. The lease's
 * lastRenewalTimestamp is left out (`split` marks where it goes): renewals
 * change it in place without making a new version, and payloads write the
 * live value there, so a renewal never costs a re-encoding.
 */
export interface InstanceFragment {
  readonly bytes: Buffer;
  readonly split: number;
}

const PLACEHOLDER = -1;
const MARKERS: Record<WireFormat, string> = {
  json: `"lastRenewalTimestamp":${PLACEHOLDER}`,
  xml: `<lastRenewalTimestamp>${PLACEHOLDER}`,
};

function encode(instance: InstanceInfo, format: WireFormat): InstanceFragment {
  const tree = encodeInstance(instance);
  (tree.leaseInfo as { lastRenewalTimestamp: number }).lastRenewalTimestamp = PLACEHOLDER;
  const text = format === 'json' ? JSON.stringify(tree) : xmlElement('instance', tree);
  // Inside strings every quote and `<` is escaped, so the marker can only be the lease field itself.
  const end = text.indexOf(MARKERS[format]) + MARKERS[format].length;
  const before = text.slice(0, end - String(PLACEHOLDER).length);
  const after = text.slice(end);
  const split = Buffer.byteLength(before);
  // Sized exactly: Buffer.from(string) reserves up to 4 bytes per character in the shared
  // pool, which left ~1.4 kB of pool per ~0.9 kB fragment (a third of the registry's memory).
  const bytes = Buffer.allocUnsafe(split + Buffer.byteLength(after));
  bytes.write(before, 0);
  bytes.write(after, split);
  return { bytes, split };
}

/**
 * The encodings of every stored instance version, per wire format. Keyed
 * by the (immutable) version object, so a change — which stores a new
 * object — is a new entry, and versions nobody holds any more (not leased,
 * out of the delta window) are collected with their encodings. JSON is
 * encoded when a version is stored (the format every client reads); XML on
 * its first XML read. Encodings are not gzipped one by one: a 1 kB
 * fragment compresses poorly alone, while the whole payload compresses
 * ~20x because instances look alike.
 */
export class InstanceFragments {
  private readonly byFormat: Record<WireFormat, WeakMap<InstanceInfo, InstanceFragment>> = {
    json: new WeakMap(),
    xml: new WeakMap(),
  };
  /** Encodings made since start (tests check each version is encoded once). */
  encodings = 0;

  of(instance: InstanceInfo, format: WireFormat): InstanceFragment {
    const cache = this.byFormat[format];
    let fragment = cache.get(instance);
    if (fragment === undefined) {
      fragment = encode(instance, format);
      cache.set(instance, fragment);
      this.encodings++;
    }
    return fragment;
  }
}
