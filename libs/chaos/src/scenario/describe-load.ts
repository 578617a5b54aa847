import type { LoadSpec } from './scenario.js';

/** `40 rps open loop` or `64 callers closed loop`, for logs and reports. */
export function describeLoad(load: Pick<LoadSpec, 'rate' | 'callers'>): string {
  return load.callers !== undefined ? `${load.callers} callers closed loop` : `${load.rate} rps open loop`;
}
