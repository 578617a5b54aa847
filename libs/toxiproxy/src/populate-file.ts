import { readFile } from 'node:fs/promises';
import type { ProxyConfig } from './proxy/proxy-config.js';

/**
 * Read a Toxiproxy `-config` file: a JSON array of `{name, listen, upstream, enabled?}`.
 * Errors name the file and the entry path, e.g. `toxiproxy.json[1].upstream: ...`.
 */
export async function loadPopulateFile(path: string): Promise<ProxyConfig[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`${path}: cannot read Toxiproxy config: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path}: invalid JSON: ${(error as Error).message}`);
  }
  return parsePopulateConfig(value, path);
}

/** Validate an already parsed populate array; `source` prefixes error paths. */
export function parsePopulateConfig(value: unknown, source = 'populate'): ProxyConfig[] {
  if (!Array.isArray(value)) throw new Error(`${source}: expected an array of proxies`);
  const names = new Set<string>();
  return value.map((entry: unknown, index) => {
    const at = `${source}[${index}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new Error(`${at}: expected an object`);
    const raw = entry as Record<string, unknown>;
    const name = requireString(raw.name, `${at}.name`);
    const upstream = requireString(raw.upstream, `${at}.upstream`);
    if (raw.listen !== undefined && typeof raw.listen !== 'string') throw new Error(`${at}.listen: expected a string like "127.0.0.1:20000"`);
    if (raw.enabled !== undefined && typeof raw.enabled !== 'boolean') throw new Error(`${at}.enabled: expected true or false`);
    if (names.has(name)) throw new Error(`${at}.name: duplicate proxy name "${name}"`);
    names.add(name);
    const config: ProxyConfig = { name, listen: (raw.listen as string | undefined) ?? '', upstream };
    if (raw.enabled !== undefined) config.enabled = raw.enabled as boolean;
    return config;
  });
}

function requireString(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '') throw new Error(`${path}: required, a non-empty string`);
  return value;
}
