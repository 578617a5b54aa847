import { ConfigError, childPath, readObject, type DocumentPath } from '@zonemesh/config';
import { pathText } from '../cluster-draft.js';

/** How zonemesh treats the fields of one Envoy message. */
export interface EnvoyFieldRules {
  /** Fields mapped onto our model. */
  readonly supported: readonly string[];
  /** Fields whose job grpc-js does itself (HTTP/2 framing, sockets): accepted, with this one-line note. */
  readonly noted?: Readonly<Record<string, string>>;
  /** Fields Envoy has and we know but do not implement: an error giving this reason, never silently ignored. */
  readonly refused?: Readonly<Record<string, string>>;
}

/**
 * Reads one Envoy message (a map) at `path`: supported fields are returned
 * for the caller to map, noted ones add a note, refused and unknown ones throw
 * a ConfigError naming the field — the two kinds of error say different
 * things, so a typo is not mistaken for a missing feature.
 */
export function readEnvoyMessage(value: unknown, path: DocumentPath, message: string, rules: EnvoyFieldRules, notes: string[]): Record<string, unknown> {
  const node = readObject(value, pathText(path), value !== null && typeof value === 'object' ? Object.keys(value) : []);
  for (const key of Object.keys(node)) {
    const at = childPath(pathText(path), key);
    if (rules.supported.includes(key)) continue;
    const note = rules.noted?.[key];
    if (note !== undefined) {
      notes.push(`${at}: accepted; ${note}`);
      continue;
    }
    const reason = rules.refused?.[key];
    if (reason !== undefined) throw new ConfigError(at, `Envoy's ${message}.${key} is known but not implemented by zonemesh: ${reason}`);
    throw new ConfigError(at, `unknown field of Envoy's ${message} (zonemesh reads ${rules.supported.join(', ')})`);
  }
  return node;
}

/** An Envoy percentage-like enforcement (0..100) that zonemesh honours only as all (100) or nothing (0). */
export function allOrNothing(value: number, path: DocumentPath): boolean {
  if (value !== 0 && value !== 100) {
    throw new ConfigError(pathText(path), `only 0 or 100 is supported (zonemesh enforces a consecutive-error streak always or never), got ${value}`);
  }
  return value === 100;
}
