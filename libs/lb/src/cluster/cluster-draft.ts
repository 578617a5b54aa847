import { childPath, type DocumentPath } from '@zonemesh/config';
import { parseClusterConfig } from './cluster-config.parse.js';
import type { ClusterConfig } from './cluster-config.js';

/** Which configuration dialect a file is written in. */
export type ClusterFormat = 'zonemesh' | 'envoy' | 'spring';

/** One cluster read from a file, with where each of its settings was written. */
export interface ClusterSource {
  readonly config: ClusterConfig;
  /**
   * Our setting key (`outlier_detection.consecutive_errors`, `endpoints[1].address`)
   * → the document path it was read from. A key missing here took its default.
   */
  readonly origins: Readonly<Record<string, DocumentPath>>;
  /** The caller zone the file asks for (Spring's preferred zone); undefined: the caller's own. */
  readonly callerZone: string | undefined;
}

/** What a reader of a foreign format returns: clusters in our model, and one line per setting accepted but left to grpc-js. */
export interface ClusterFileRead {
  readonly format: ClusterFormat;
  readonly clusters: readonly ClusterSource[];
  readonly notes: readonly string[];
}

/** A document path as an error path: `static_resources.clusters[0].lb_policy`. */
export function pathText(path: DocumentPath): string {
  return path.reduce<string>((text, key) => childPath(text, key), '');
}

/** `health_checks[0].interval` → `['health_checks', 0, 'interval']`. */
export function keySegments(key: string): (string | number)[] {
  return key
    .split(/\.|(?=\[)/)
    .filter((part) => part !== '')
    .map((part) => (/^\[\d+\]$/.test(part) ? Number(part.slice(1, -1)) : part));
}

/**
 * A cluster being translated from another dialect into our own YAML shape,
 * remembering where each value came from. The result goes through
 * parseClusterConfig, so a translated cluster obeys exactly the rules (and
 * defaults) a mesh.yaml cluster does; readers validate values at their own
 * paths first, so an error names what the user wrote.
 */
export class ClusterDraft {
  readonly raw: Record<string, unknown> = {};
  readonly origins: Record<string, DocumentPath> = {};

  /** Sets our key (`outlier_detection.interval`); `from` is where the value was written, undefined for a dialect default. */
  set(key: string, value: unknown, from?: DocumentPath): void {
    const segments = keySegments(key);
    let node: Record<string | number, unknown> = this.raw;
    segments.slice(0, -1).forEach((segment, i) => {
      const next = segments[i + 1];
      node[segment] ??= typeof next === 'number' ? [] : {};
      node = node[segment] as Record<string | number, unknown>;
    });
    node[segments[segments.length - 1]!] = value;
    if (from) this.origins[key] = from;
  }

  build(path: string, callerZone?: string): ClusterSource {
    return { config: parseClusterConfig(this.raw, path), origins: this.origins, callerZone };
  }
}
