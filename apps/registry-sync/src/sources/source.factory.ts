import type { SourceConfig } from '../sync-config.js';
import type { SyncLog } from '../sync-log.js';
import { DnsSource } from './dns.source.js';
import type { InstanceSource } from './instance-source.js';
import { KubernetesEndpointSliceSource } from './kubernetes.source.js';
import { StaticFileSource } from './static-file.source.js';

/** The configured source; `zone` is the syncer's, for instances whose source names none. */
export function createInstanceSource(config: SourceConfig, zone: string, log: SyncLog): InstanceSource {
  switch (config.type) {
    case 'static':
      return new StaticFileSource({ path: config.path, debounceMs: config.debounceMs, defaultZone: zone });
    case 'kubernetes':
      return new KubernetesEndpointSliceSource({ ...config, defaultZone: zone, log });
    case 'dns':
      return new DnsSource({ ...config, zone });
  }
}
