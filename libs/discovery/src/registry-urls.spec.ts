import { describe, expect, it } from 'vitest';
import { RegistryUrlsError, orderRegistriesForZone, parseRegistryUrls } from './registry-urls.js';

describe('parseRegistryUrls', () => {
  it('parses zone=url pairs in order and drops trailing slashes', () => {
    expect(parseRegistryUrls(' zone-a=http://127.0.0.1:8761/eureka/, zone-b=http://127.0.0.1:8762/eureka')).toEqual([
      { zone: 'zone-a', url: 'http://127.0.0.1:8761/eureka' },
      { zone: 'zone-b', url: 'http://127.0.0.1:8762/eureka' },
    ]);
  });

  it.each([
    ['', 'ZONEMESH_REGISTRY_URLS: expected "zone=url[,zone=url...]", got an empty list'],
    ['http://127.0.0.1:8761/eureka', 'ZONEMESH_REGISTRY_URLS[0]: expected "zone=url"'],
    ['zone-a=http://a/eureka,zone-b=not a url', 'ZONEMESH_REGISTRY_URLS[1]: invalid URL "not a url"'],
    ['zone-a=ftp://a/eureka', 'ZONEMESH_REGISTRY_URLS[0]: expected an http(s) URL'],
    ['zone a=http://a/eureka', 'ZONEMESH_REGISTRY_URLS[0]: invalid zone name "zone a"'],
  ])('rejects %j with a message naming the entry', (text, message) => {
    expect(() => parseRegistryUrls(text)).toThrow(RegistryUrlsError);
    expect(() => parseRegistryUrls(text)).toThrow(message);
  });

  it('puts the own zone first and keeps the rest in order', () => {
    const list = parseRegistryUrls('zone-a=http://a/eureka,zone-b=http://b/eureka,zone-c=http://c/eureka');
    expect(orderRegistriesForZone(list, 'zone-b').map((r) => r.zone)).toEqual(['zone-b', 'zone-a', 'zone-c']);
    expect(orderRegistriesForZone(list, 'zone-x').map((r) => r.zone)).toEqual(['zone-a', 'zone-b', 'zone-c']);
  });
});
