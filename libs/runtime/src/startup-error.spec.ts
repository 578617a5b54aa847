import { describe, expect, it } from 'vitest';
import { describeStartupError } from './startup-error.js';

const env = { instanceId: 'catalog-zone-a-1', host: '127.0.0.1', port: 7101 };

describe('describeStartupError', () => {
  it('says which port is taken', () => {
    const error = new Error('No address added out of total 1 resolved errors: [listen EADDRINUSE: address already in use 127.0.0.1:7101]');
    expect(describeStartupError(error, env)).toBe('catalog-zone-a-1: port 7101 is already in use');
  });

  it('keeps only the first line of other errors', () => {
    expect(describeStartupError(new Error('boom\n    at x.js:1'), env)).toBe('catalog-zone-a-1: boom');
  });
});
