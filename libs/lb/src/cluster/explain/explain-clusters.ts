import type { YamlSource } from '@zonemesh/config';
import type { ClusterFileRead } from '../cluster-draft.js';
import { clusterSettings } from './cluster-settings.js';
import { nativeName } from './native-names.js';

export interface ExplainedSetting {
  /** The mesh.yaml key. */
  readonly key: string;
  readonly value: string;
  /** `file:line` where it was written, or `default` (the file's dialect's default). */
  readonly from: string;
  /** Its name in the file's dialect (Envoy field, Spring property); `-` when the dialect has none. */
  readonly native: string;
}

export interface ExplainedCluster {
  readonly name: string;
  /** The caller zone the file asks for (Spring's preferred zone); undefined: each caller's own. */
  readonly callerZone: string | undefined;
  readonly settings: readonly ExplainedSetting[];
}

export interface ExplainedFile {
  readonly file: string;
  readonly format: ClusterFileRead['format'];
  readonly clusters: readonly ExplainedCluster[];
  readonly notes: readonly string[];
}

/** Every effective setting of every cluster, with where it came from: the data behind `zonemesh config explain`. */
export function explainClusters(source: YamlSource, read: ClusterFileRead): ExplainedFile {
  return {
    file: source.file,
    format: read.format,
    notes: read.notes,
    clusters: read.clusters.map(({ config, origins, callerZone }) => ({
      name: config.name,
      callerZone,
      settings: clusterSettings(config).map(({ key, value }) => {
        const origin = origins[key];
        const line = origin === undefined ? undefined : source.lineOf(origin);
        return { key, value, from: line === undefined ? 'default' : `${source.file}:${line}`, native: nativeName(read.format, key) };
      }),
    })),
  };
}
