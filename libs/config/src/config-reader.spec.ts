import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { readDuration, readEnum, readInteger, readObject, childPath, optional } from './config-reader.js';

function problem(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('config reader', () => {
  it('names the path of a bad duration', () => {
    expect(problem(() => readDuration('ten seconds', 'clusters[1].outlier_detection.interval'))).toBe(
      'clusters[1].outlier_detection.interval: expected a duration like "10s"',
    );
  });

  it('rejects unknown keys and lists the known ones', () => {
    expect(problem(() => readObject({ lb_polcy: 'x' }, 'clusters[0]', ['name', 'lb_policy']))).toBe(
      'clusters[0].lb_polcy: unknown key (expected one of name, lb_policy)',
    );
  });

  it('reads enums, integers in range and optional values', () => {
    expect(readEnum('random', 'p', ['round_robin', 'random'])).toBe('random');
    expect(problem(() => readEnum('rr', 'p', ['round_robin']))).toBe('p: expected one of round_robin, got "rr"');
    expect(problem(() => readInteger(1.5, 'n', 0, 10))).toBe('n: expected a whole number, got 1.5');
    expect(problem(() => readInteger(11, 'n', 0, 10))).toBe('n: must be between 0 and 10, got 11');
    expect(optional(undefined, 5, (v) => readInteger(v, 'n'))).toBe(5);
    expect(childPath(childPath('clusters', 2), 'zone_failover')).toBe('clusters[2].zone_failover');
  });
});
