import { describe, expect, it } from 'vitest';
import { redactUrl, splitUrlCredentials } from './url-credentials.js';

describe('splitUrlCredentials', () => {
  it('turns user:pass@ into a Basic header and a URL without them', () => {
    const split = splitUrlCredentials('http://eureka:s3cr%40t@127.0.0.1:8761/eureka');
    expect(split.url).toBe('http://127.0.0.1:8761/eureka');
    expect(split.authorization).toBe(`Basic ${Buffer.from('eureka:s3cr@t').toString('base64')}`);
  });

  it('leaves a URL without credentials untouched', () => {
    expect(splitUrlCredentials('http://127.0.0.1:8761/eureka')).toEqual({ url: 'http://127.0.0.1:8761/eureka', authorization: undefined });
  });

  it('keeps a user without a password (Basic "user:")', () => {
    expect(splitUrlCredentials('http://peer@127.0.0.1:8761').authorization).toBe(`Basic ${Buffer.from('peer:').toString('base64')}`);
    expect(splitUrlCredentials('http://peer@127.0.0.1:8761').url).toBe('http://127.0.0.1:8761');
  });
});

describe('redactUrl', () => {
  it('hides user info and nothing else', () => {
    expect(redactUrl('http://eureka:s3cret@host:8761/eureka')).toBe('http://***@host:8761/eureka');
    expect(redactUrl('http://host:8761/eureka')).toBe('http://host:8761/eureka');
  });
});
