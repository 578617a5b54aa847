import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['10s', 10_000],
    ['1.5s', 1_500],
    ['1m', 60_000],
    ['2h', 7_200_000],
    [' 30s ', 30_000],
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['30', '10 s', '-1s', 's', '1d', '', '1e3ms'])('rejects %j naming the setting', (text) => {
    expect(() => parseDuration(text, 'ZONEMESH_RENEW_INTERVAL')).toThrow(
      `ZONEMESH_RENEW_INTERVAL: expected a duration like "10s", "250ms" or "1m", got ${JSON.stringify(text)}`,
    );
  });

  it('rejects zero', () => {
    expect(() => parseDuration('0s', 'ZONEMESH_FETCH_INTERVAL')).toThrow(
      'ZONEMESH_FETCH_INTERVAL: expected a duration greater than zero, got "0s"',
    );
  });
});
