import { redactUrl, splitUrlCredentials } from './url-credentials.js';

/** One zone's Eureka registry: `url` is the base including `/eureka` (e.g. `http://127.0.0.1:8761/eureka`), never with credentials. */
export interface RegistryEndpoint {
  readonly zone: string;
  readonly url: string;
  /** `Basic ...` from a `user:pass@` URL, sent with every request to this registry. */
  readonly authorization?: string;
}

/** A malformed registry list; the message names the variable and the entry. */
export class RegistryUrlsError extends Error {}

/**
 * Parses the `ZONEMESH_REGISTRY_URLS` format:
 * `zone-a=http://127.0.0.1:8761/eureka,zone-b=http://127.0.0.1:8762/eureka`.
 * Several registries per zone are allowed (repeat the zone); order is kept.
 * `http://user:pass@host/eureka` is accepted as Spring and eureka-js-client
 * write it: the credentials become the endpoint's `authorization`.
 */
export function parseRegistryUrls(text: string, source = 'ZONEMESH_REGISTRY_URLS'): RegistryEndpoint[] {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) {
    throw new RegistryUrlsError(`${source}: expected "zone=url[,zone=url...]", got an empty list`);
  }
  return entries.map((entry, index) => {
    const where = `${source}[${index}]`;
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new RegistryUrlsError(`${where}: expected "zone=url" like "zone-a=http://127.0.0.1:8761/eureka", got "${redactUrl(entry)}"`);
    const zone = entry.slice(0, eq).trim();
    const written = entry.slice(eq + 1).trim();
    const url = redactUrl(written);
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(zone)) throw new RegistryUrlsError(`${where}: invalid zone name "${zone}"`);
    let parsed: URL;
    try {
      parsed = new URL(written);
    } catch {
      throw new RegistryUrlsError(`${where}: invalid URL "${url}"`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new RegistryUrlsError(`${where}: expected an http(s) URL, got "${url}"`);
    }
    const { url: bare, authorization } = splitUrlCredentials(written);
    return { zone, url: bare.replace(/\/+$/, ''), ...(authorization ? { authorization } : {}) };
  });
}

/** Own-zone registries first (in their given order), then the others: Spring's preferSameZone. */
export function orderRegistriesForZone(registries: readonly RegistryEndpoint[], zone: string): RegistryEndpoint[] {
  return [...registries.filter((r) => r.zone === zone), ...registries.filter((r) => r.zone !== zone)];
}
