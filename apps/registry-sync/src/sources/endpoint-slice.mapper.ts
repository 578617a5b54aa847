import type { V1EndpointSlice } from '@kubernetes/client-node';
import type { SyncInstance } from '../sync-instance.js';

export interface EndpointSliceMapping {
  /** Eureka app; default: the slice's `kubernetes.io/service-name` label. */
  readonly app: string | undefined;
  readonly portName: string | undefined;
  /** For endpoints without `zone` (clusters without topology labels). */
  readonly defaultZone: string;
}

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/**
 * The READY endpoints of one EndpointSlice as instances: zone from
 * `endpoints[].zone`, id `<pod>:<port>` (the address when no pod is named).
 * `conditions.ready` unset counts as ready, as the API documents. IPv6 and
 * FQDN slices are skipped: a dual-stack Service has one slice per family for
 * the same pods, and registering both would list each pod twice.
 */
export function endpointSliceInstances(slice: V1EndpointSlice, mapping: EndpointSliceMapping): SyncInstance[] {
  if (slice.addressType !== 'IPv4') return [];
  const app = (mapping.app ?? slice.metadata?.labels?.[SERVICE_NAME_LABEL])?.toUpperCase();
  const port = mapping.portName === undefined ? slice.ports?.[0] : slice.ports?.find((p) => p.name === mapping.portName);
  if (app === undefined || port?.port === undefined) return [];
  const instances: SyncInstance[] = [];
  for (const endpoint of slice.endpoints ?? []) {
    if (endpoint.conditions?.ready === false) continue;
    const address = endpoint.addresses[0];
    if (address === undefined) continue;
    const pod = endpoint.targetRef?.kind === 'Pod' ? endpoint.targetRef.name : undefined;
    const metadata: Record<string, string> = { 'k8s.namespace': slice.metadata?.namespace ?? '', 'k8s.endpointslice': slice.metadata?.name ?? '' };
    if (pod !== undefined) metadata['k8s.pod'] = pod;
    if (endpoint.nodeName !== undefined) metadata['k8s.node'] = endpoint.nodeName;
    instances.push({
      app,
      instanceId: `${pod ?? address}:${port.port}`,
      host: address,
      port: port.port,
      zone: endpoint.zone ?? mapping.defaultZone,
      metadata,
    });
  }
  return instances;
}
