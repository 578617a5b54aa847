import { describe, expect, it } from 'vitest';
import { parseStaticTarget } from './static-target.js';

function parse(path: string, query = '') {
  return parseStaticTarget({ path, query: new URLSearchParams(query) });
}

describe('parseStaticTarget', () => {
  it('reads host:port lists with ids defaulting to the address and no zone', () => {
    expect(parse('127.0.0.1:5001,localhost:5002')).toEqual([
      { id: '127.0.0.1:5001', host: '127.0.0.1', port: 5001, zone: undefined, metadata: {} },
      { id: 'localhost:5002', host: 'localhost', port: 5002, zone: undefined, metadata: {} },
    ]);
  });

  it('reads per-endpoint zones and ids, an empty zone meaning none', () => {
    const endpoints = parse('127.0.0.1:5001,[::1]:5002', 'zones=zone-a,&ids=a,b');
    expect(endpoints.map((e) => [e.id, e.host, e.port, e.zone])).toEqual([
      ['a', '127.0.0.1', 5001, 'zone-a'],
      ['b', '::1', 5002, undefined],
    ]);
  });

  it.each([
    ['', '', /expected a comma-separated list of host:port/],
    ['127.0.0.1', '', /entry 1 "127.0.0.1": missing port/],
    ['127.0.0.1:5001,:5002', '', /entry 2 ":5002": missing host/],
    ['127.0.0.1:70000', '', /port "70000" is not a number from 1 to 65535/],
    ['127.0.0.1:http', '', /port "http"/],
    ['::1:5001', '', /IPv6 addresses must be written in brackets/],
    ['[::1:5001', '', /expected \[ipv6\]:port/],
    ['127.0.0.1:5001,127.0.0.1:5001', '', /address 127.0.0.1:5001 is listed twice/],
    ['127.0.0.1:5001,127.0.0.1:5002', 'zones=zone-a', /"zones" lists 1 value\(s\) for 2 endpoint\(s\)/],
    ['127.0.0.1:5001,127.0.0.1:5002', 'ids=x,x', /id "x" is used twice/],
    ['127.0.0.1:5001', 'zone=zone-a', /unknown parameter "zone" \(known: zones, ids, md.<key>\)/],
    ['127.0.0.1:5001', 'ids=a&ids=b', /parameter "ids" is given 2 times/],
  ])('rejects %j?%s', (path, query, message) => {
    expect(() => parse(path, query)).toThrow(message);
  });

  it('quotes the whole target in its errors', () => {
    expect(() => parse('nope', 'zones=a')).toThrow('invalid static target "static:///nope?zones=a"');
  });
});
