import { BandwidthToxic } from './bandwidth.toxic.js';
import { LatencyToxic } from './latency.toxic.js';
import { LimitDataToxic } from './limit-data.toxic.js';
import { NoopToxic } from './noop.toxic.js';
import { ResetPeerToxic } from './reset-peer.toxic.js';
import { SlicerToxic } from './slicer.toxic.js';
import { SlowCloseToxic } from './slow-close.toxic.js';
import { TimeoutToxic } from './timeout.toxic.js';
import type { LinkControl, ToxicAttributes, ToxicStage } from './toxic-stage.js';

/** How one toxic type is described, validated and instantiated. */
export interface ToxicType {
  /** Go struct name, used in decode error messages. */
  readonly goName: string;
  /** Attribute names in the order Toxiproxy serialises them; all default to 0. */
  readonly attributes: readonly string[];
  /** A message for attribute values the real server would crash on, if any. */
  validate(attributes: ToxicAttributes): string | undefined;
  create(attributes: ToxicAttributes, link: LinkControl): ToxicStage;
}

const noCheck = (): undefined => undefined;

const registry = new Map<string, ToxicType>([
  ['noop', { goName: 'NoopToxic', attributes: [], validate: noCheck, create: (a, l) => new NoopToxic(a, l) }],
  ['latency', { goName: 'LatencyToxic', attributes: ['latency', 'jitter'], validate: noCheck, create: (a, l) => new LatencyToxic(a, l) }],
  [
    'bandwidth',
    {
      goName: 'BandwidthToxic',
      attributes: ['rate'],
      validate: (a) => (a.rate < 0 ? 'rate must not be negative' : undefined),
      create: (a, l) => new BandwidthToxic(a, l),
    },
  ],
  ['slow_close', { goName: 'SlowCloseToxic', attributes: ['delay'], validate: noCheck, create: (a, l) => new SlowCloseToxic(a, l) }],
  ['timeout', { goName: 'TimeoutToxic', attributes: ['timeout'], validate: noCheck, create: (a, l) => new TimeoutToxic(a, l) }],
  ['reset_peer', { goName: 'ResetToxic', attributes: ['timeout'], validate: noCheck, create: (a, l) => new ResetPeerToxic(a, l) }],
  [
    'slicer',
    {
      goName: 'SlicerToxic',
      attributes: ['average_size', 'size_variation', 'delay'],
      validate: (a) => {
        if (a.size_variation < 0) return 'size_variation must not be negative';
        // All zero (no attributes) is what the real server creates from `{"type":"slicer"}`: accepted, it slices into single bytes.
        if (a.average_size > 0 && a.size_variation >= a.average_size) return 'size_variation must be smaller than average_size';
        if (a.average_size === 0 && a.size_variation > 0) return 'size_variation must be smaller than average_size';
        return undefined;
      },
      create: (a, l) => new SlicerToxic(a, l),
    },
  ],
  ['limit_data', { goName: 'LimitDataToxic', attributes: ['bytes'], validate: noCheck, create: (a, l) => new LimitDataToxic(a, l) }],
]);

/** The toxic type registered under `name`, or undefined (the API answers "invalid toxic type"). */
export function toxicType(name: string): ToxicType | undefined {
  return registry.get(name);
}

/** Names of every registered toxic type. */
export function toxicTypeNames(): string[] {
  return [...registry.keys()];
}
