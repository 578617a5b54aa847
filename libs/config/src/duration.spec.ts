import { describe, expect, it } from 'vitest';
import { readDuration, readPositiveDuration } from './config-reader.js';
import { formatDuration, parseDuration } from './duration.js';

describe('durations', () => {
  it.each([
    ['250ms', 250],
    ['10s', 10_000],
    ['1.5s', 1_500],
    ['1m', 60_000],
    ['20m', 1_200_000],
    ['2h', 7_200_000],
    [' 30s ', 30_000],
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['30', '10 s', '-1s', 's', '1d', '', '1e3ms'])('rejects %j naming the setting', (text) => {
    expect(parseDuration(text)).toBeUndefined();
    expect(() => readDuration(text, 'ZONEMESH_RENEW_INTERVAL')).toThrow('ZONEMESH_RENEW_INTERVAL: expected a duration like "10s"');
  });

  it('rejects zero where a positive duration is needed', () => {
    expect(readDuration('0s', 'timeout')).toBe(0);
    expect(() => readPositiveDuration('0s', 'ZONEMESH_FETCH_INTERVAL')).toThrow('ZONEMESH_FETCH_INTERVAL: expected a duration greater than zero, got "0s"');
  });

  it('formats milliseconds the way configuration writes them', () => {
    expect(formatDuration(10_000)).toBe('10s');
    expect(formatDuration(1500)).toBe('1500ms');
    expect(formatDuration(1_200_000)).toBe('20m');
    expect(formatDuration(7_200_000)).toBe('2h');
  });
});
