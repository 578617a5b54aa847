import { ConfigError, type DocumentPath } from '@zonemesh/config';
import { pathText } from '../cluster-draft.js';

/** Spring properties as one nested tree, whether the file nests keys or writes them flat (`a.b.c: v`). */
export interface SpringProperties {
  readonly tree: Record<string, unknown>;
  /** Where the value at a logical path (`['eurekube', 'zone-failover', 'cache', 'ttl']`) was written in the document. */
  origin(logical: DocumentPath): DocumentPath | undefined;
}

/** `"[serviceId]"`: Spring's bracket notation keeps a map key whole (dots included); the brackets are not part of it. */
function keyParts(key: string): string[] {
  return /^\[.*\]$/.test(key) ? [key.slice(1, -1)] : key.split('.');
}

/**
 * Expands dotted keys at every level (`spring.cloud.loadbalancer.retry.enabled: true`
 * and the nested form mean the same to Spring), keeping the document path of
 * every value. The same property written twice is an error naming both.
 */
export function readSpringProperties(document: unknown): SpringProperties {
  const origins = new Map<string, DocumentPath>();
  const id = (logical: DocumentPath) => JSON.stringify(logical);
  const expand = (value: unknown, docPath: DocumentPath, logical: DocumentPath): unknown => {
    origins.set(id(logical), docPath);
    if (Array.isArray(value)) return value.map((item, i) => expand(item, [...docPath, i], [...logical, i]));
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      const parts = keyParts(key);
      let node = out;
      parts.slice(0, -1).forEach((part, i) => {
        const existing = node[part];
        if (existing !== undefined && (existing === null || typeof existing !== 'object' || Array.isArray(existing))) {
          throw new ConfigError(pathText([...docPath, key]), `${[...logical, ...parts.slice(0, i + 1)].join('.')} is given twice`);
        }
        node[part] ??= {};
        if (!origins.has(id([...logical, ...parts.slice(0, i + 1)]))) origins.set(id([...logical, ...parts.slice(0, i + 1)]), [...docPath, key]);
        node = node[part] as Record<string, unknown>;
      });
      const last = parts[parts.length - 1]!;
      const childLogical = [...logical, ...parts];
      const expanded = expand(child, [...docPath, key], childLogical);
      if (node[last] === undefined) node[last] = expanded;
      else merge(node, last, expanded, childLogical, [...docPath, key]);
    }
    return out;
  };
  const tree = expand(document ?? {}, [], []);
  if (!isMap(tree)) throw new ConfigError('', 'expected a map of Spring properties');
  return { tree, origin: (logical) => origins.get(id(logical)) };
}

/** Puts `value` at `node[key]` where something is already: maps merge key by key, anything else is a property given twice. */
function merge(node: Record<string, unknown>, key: string, value: unknown, logical: DocumentPath, docPath: DocumentPath): void {
  const existing = node[key];
  if (!isMap(existing) || !isMap(value)) throw new ConfigError(pathText(docPath), `${logical.join('.')} is given twice`);
  for (const [k, v] of Object.entries(value)) {
    if (existing[k] === undefined) existing[k] = v;
    else merge(existing, k, v, [...logical, k], docPath);
  }
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
