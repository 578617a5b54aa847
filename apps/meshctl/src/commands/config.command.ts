import { parseArgs } from 'node:util';
import { ConfigError, readYamlSource, type YamlSource } from '@zonemesh/config';
import {
  detectClusterFormat,
  explainClusters,
  keySegments,
  parseClustersConfig,
  readForeignClusterFile,
  zonemeshClusterSources,
  type ClusterFileRead,
  type ExplainedFile,
} from '@zonemesh/lb';
import { renderTable } from '../cli/table.js';
import { UsageError } from '../cli/usage-error.js';
import { clusterFilesBeside, parseMeshConfig } from '../mesh/mesh-config.js';

export const CONFIG_USAGE = `zonemesh config explain FILE [--json]
  Reads FILE — mesh.yaml, an Envoy v3 Cluster (static_resources, a clusters list or one
  cluster; YAML or JSON) or Spring Cloud LoadBalancer / eurekube properties — and prints
  every cluster's effective settings after defaults: value, where it came from (file:line,
  or default) and its Envoy or Spring name, then what was accepted with a note.
  Bad input exits 1 naming the file and the path of the problem.`;

const NATIVE_HEADER: Record<ExplainedFile['format'], string> = { zonemesh: 'MESH.YAML', envoy: 'ENVOY', spring: 'SPRING / EUREKUBE' };

/** mesh.yaml is the CLI's own file (its schema lives here); Envoy and Spring files are read by @zonemesh/lb. */
function readClusterFile(source: YamlSource): ClusterFileRead {
  const format = detectClusterFormat(source.value);
  if (format !== 'zonemesh') return readForeignClusterFile(source, format);
  const root = source.value as Record<string, unknown>;
  const files = clusterFilesBeside(source.file);
  const clusters = 'zones' in root || 'services' in root ? parseMeshConfig(root, files).clusters : parseClustersConfig(root, files);
  return { format, clusters: zonemeshClusterSources(clusters), notes: [] };
}

/** `:12`, the line of the nearest written node on the error's path (the key itself, else its parent); '' without one. */
function lineText(source: YamlSource, path: string): string {
  const segments = keySegments(path);
  for (let n = segments.length; n > 0; n -= 1) {
    const line = source.lineOf(segments.slice(0, n));
    if (line !== undefined) return `:${line}`;
  }
  return '';
}

export function explainText(explained: ExplainedFile): string {
  const blocks = explained.clusters.map((cluster) => {
    const zone = cluster.callerZone === undefined ? [] : [`caller zone: ${cluster.callerZone} (the preferred zone: calls stay there while it has healthy instances)`];
    const rows = cluster.settings.map((s) => [s.key, s.value, s.from, s.native]);
    return [`cluster ${cluster.name} (${explained.format}: ${explained.file})`, ...zone, renderTable(['SETTING', 'VALUE', 'FROM', NATIVE_HEADER[explained.format]], rows)].join('\n');
  });
  const notes = explained.notes.length === 0 ? [] : [['notes:', ...explained.notes.map((n) => `  ${n}`)].join('\n')];
  return [...blocks, ...notes].join('\n\n');
}

export async function configCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { json: { type: 'boolean', default: false } }, allowPositionals: true, strict: true });
  const [sub, file, ...extra] = positionals;
  if (sub !== 'explain') throw new UsageError(`config: expected "explain"${sub === undefined ? '' : `, got "${sub}"`}`);
  if (file === undefined) throw new UsageError('config explain: FILE is required (mesh.yaml, an Envoy cluster file or Spring properties)');
  if (extra.length > 0) throw new UsageError(`config explain: one FILE only, got also ${extra.join(' ')}`);
  const source = await readYamlSource(file);
  let explained: ExplainedFile;
  try {
    explained = explainClusters(source, readClusterFile(source));
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(`${file}${lineText(source, error.path)}${error.path ? `: ${error.path}` : ''}`, error.problem);
    throw error;
  }
  console.log(values.json ? JSON.stringify(explained, null, 2) : explainText(explained));
  return 0;
}
