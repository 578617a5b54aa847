import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { refusal } from './request-guard.js';

const req = (host: string, method = 'GET', headers: Record<string, string> = {}) =>
  ({ method, headers: { host, ...headers } }) as unknown as IncomingMessage;

describe('refusal', () => {
  it('on loopback answers loopback names only', () => {
    expect(refusal(req('127.0.0.1:8070'), '127.0.0.1')).toBeUndefined();
    expect(refusal(req('localhost:8070'), '127.0.0.1')).toBeUndefined();
    expect(refusal(req('[::1]:8070'), '::1')).toBeUndefined();
    expect(refusal(req('rebound.example:8070'), '127.0.0.1')).toContain('not a loopback name');
  });

  it('beyond loopback with allowed names (a published container) answers those names only', () => {
    const allowed = ['localhost', '127.0.0.1', '::1'];
    expect(refusal(req('127.0.0.1:18070'), '0.0.0.0', allowed)).toBeUndefined();
    expect(refusal(req('LOCALHOST:18070'), '0.0.0.0', allowed)).toBeUndefined();
    expect(refusal(req('[::1]:18070'), '0.0.0.0', allowed)).toBeUndefined();
    expect(refusal(req('rebound.example:18070'), '0.0.0.0', allowed)).toContain("not one of the console's names");
  });

  it('beyond loopback without allowed names answers any name (the operator chose so)', () => {
    expect(refusal(req('console.internal:8070'), '0.0.0.0')).toBeUndefined();
  });

  it('takes actions only as same-origin JSON', () => {
    expect(refusal(req('127.0.0.1:8070', 'POST', { 'content-type': 'text/plain' }), '127.0.0.1')).toContain('must be JSON');
    expect(refusal(req('127.0.0.1:8070', 'POST', { 'content-type': 'application/json', origin: 'http://evil.example' }), '127.0.0.1')).toContain('may not act');
    expect(refusal(req('127.0.0.1:8070', 'POST', { 'content-type': 'application/json', origin: 'http://127.0.0.1:8070' }), '127.0.0.1')).toBeUndefined();
  });
});
