import { ConfigError, readArray, readInteger, readPort, readString, type DocumentPath } from '@zonemesh/config';
import { pathText, type ClusterDraft } from '../cluster-draft.js';
import { HEALTH_CHECK_PORT_METADATA } from '../../health/health-probe.js';
import { readEnvoyMessage } from './envoy-message.js';

const WEIGHTS = 'endpoint weights are not implemented for Envoy clusters (use lb_policy weighted with metadata weight in mesh.yaml)';

/**
 * Reads `load_assignment` (endpoint.v3.ClusterLoadAssignment) into our
 * static endpoints: `locality.zone` of a group is the zone of its endpoints,
 * `endpoint.health_check_config.port_value` the endpoint's health port
 * (metadata `health_check_port`, which the health checker reads per endpoint).
 */
export function readEnvoyLoadAssignment(value: unknown, path: DocumentPath, draft: ClusterDraft, notes: string[]): void {
  const node = readEnvoyMessage(value, path, 'ClusterLoadAssignment', {
    supported: ['cluster_name', 'endpoints', 'policy'],
    refused: { named_endpoints: 'endpoints are written inline' },
  }, notes);
  const at = (key: string): DocumentPath => [...path, key];
  if (node.cluster_name !== undefined) readString(node.cluster_name, pathText(at('cluster_name')));
  if (node.policy !== undefined) readPolicy(node.policy, at('policy'), draft, notes);
  let count = 0;
  readArray(node.endpoints, pathText(at('endpoints'))).forEach((group, g) => {
    const groupPath: DocumentPath = [...at('endpoints'), g];
    const locality = readEnvoyMessage(group, groupPath, 'LocalityLbEndpoints', {
      supported: ['locality', 'lb_endpoints', 'priority'],
      refused: {
        load_balancing_weight: 'locality weights are not implemented: zones fail over in order (zone_order)',
        metadata: 'endpoint metadata is written per endpoint in mesh.yaml',
        leds_cluster_locality_config: 'LEDS is not implemented',
      },
    }, notes);
    if (locality.priority !== undefined && readInteger(locality.priority, pathText([...groupPath, 'priority']), 0) !== 0) {
      throw new ConfigError(pathText([...groupPath, 'priority']), 'priorities are not implemented: zonemesh fails over by zone (caller zone, then zone_order)');
    }
    const zone = readZone(locality.locality, [...groupPath, 'locality'], notes);
    readArray(locality.lb_endpoints, pathText([...groupPath, 'lb_endpoints'])).forEach((item, e) => {
      readLbEndpoint(item, [...groupPath, 'lb_endpoints', e], count, zone, draft, notes);
      count += 1;
    });
  });
  if (count === 0) throw new ConfigError(pathText(at('endpoints')), 'expected at least one lb_endpoints entry');
}

function readPolicy(value: unknown, path: DocumentPath, draft: ClusterDraft, notes: string[]): void {
  const node = readEnvoyMessage(value, path, 'ClusterLoadAssignment.Policy', {
    supported: ['overprovisioning_factor'],
    refused: {
      drop_overloads: 'load shedding by drop percentage is not implemented',
      endpoint_stale_after: 'endpoints are static',
      weighted_priority_health: 'priorities are not implemented',
    },
  }, notes);
  if (node.overprovisioning_factor !== undefined) {
    // A zone keeps all its traffic while healthy share × factor/100 ≥ 1: our healthy_threshold is 100/factor.
    const at: DocumentPath = [...path, 'overprovisioning_factor'];
    const factor = readInteger(node.overprovisioning_factor, pathText(at), 100);
    draft.set('zone_failover.healthy_threshold', 100 / factor, at);
  }
}

function readZone(value: unknown, path: DocumentPath, notes: string[]): { zone: string; from: DocumentPath } | undefined {
  if (value === undefined) return undefined;
  const node = readEnvoyMessage(value, path, 'core.v3.Locality', {
    supported: ['zone'],
    refused: { region: 'zones are one level: use locality.zone alone', sub_zone: 'zones are one level: use locality.zone alone' },
  }, notes);
  if (node.zone === undefined) return undefined;
  return { zone: readString(node.zone, pathText([...path, 'zone'])), from: [...path, 'zone'] };
}

function readLbEndpoint(
  value: unknown,
  path: DocumentPath,
  index: number,
  zone: { zone: string; from: DocumentPath } | undefined,
  draft: ClusterDraft,
  notes: string[],
): void {
  const node = readEnvoyMessage(value, path, 'LbEndpoint', {
    supported: ['endpoint'],
    refused: {
      load_balancing_weight: WEIGHTS,
      health_status: 'health comes from health checks and outlier detection, not from configuration',
      metadata: 'endpoint metadata is written per endpoint in mesh.yaml',
      endpoint_name: 'named endpoints are not implemented',
    },
  }, notes);
  const endpointPath: DocumentPath = [...path, 'endpoint'];
  const endpoint = readEnvoyMessage(node.endpoint, endpointPath, 'Endpoint', {
    supported: ['address', 'health_check_config'],
    refused: { hostname: 'endpoints are addressed by IP and port', additional_addresses: 'one address per endpoint' },
  }, notes);
  const addressPath: DocumentPath = [...endpointPath, 'address', 'socket_address'];
  const address = readEnvoyMessage(endpoint.address, [...endpointPath, 'address'], 'core.v3.Address', {
    supported: ['socket_address'],
    refused: { pipe: 'only TCP socket addresses', envoy_internal_address: 'only TCP socket addresses' },
  }, notes);
  const socket = readEnvoyMessage(address.socket_address, addressPath, 'SocketAddress', {
    supported: ['address', 'port_value', 'protocol'],
    refused: { named_port: 'use port_value', resolver_name: 'addresses are taken as written', ipv4_compat: 'addresses are taken as written' },
  }, notes);
  if (socket.protocol !== undefined && socket.protocol !== 'TCP') throw new ConfigError(pathText([...addressPath, 'protocol']), 'only TCP is supported');
  const host = readString(socket.address, pathText([...addressPath, 'address']));
  const port = readPort(socket.port_value, pathText([...addressPath, 'port_value']));
  const ours = `endpoints[${index}]`;
  draft.set(`${ours}.address`, `${host.includes(':') ? `[${host}]` : host}:${port}`, addressPath);
  if (zone) draft.set(`${ours}.zone`, zone.zone, zone.from);
  if (endpoint.health_check_config !== undefined) {
    const hcPath: DocumentPath = [...endpointPath, 'health_check_config'];
    const hc = readEnvoyMessage(endpoint.health_check_config, hcPath, 'Endpoint.HealthCheckConfig', {
      supported: ['port_value'],
      refused: {
        hostname: 'health checks use the endpoint address',
        address: 'health checks use the endpoint address (with port_value)',
        disable_active_health_check: 'every endpoint of a cluster is health-checked',
      },
    }, notes);
    if (hc.port_value !== undefined) {
      const portPath: DocumentPath = [...hcPath, 'port_value'];
      const healthPort = readPort(hc.port_value, pathText(portPath));
      if (healthPort === 0) throw new ConfigError(pathText(portPath), 'must be between 1 and 65535, got 0');
      draft.set(`${ours}.metadata.${HEALTH_CHECK_PORT_METADATA}`, String(healthPort), portPath);
    }
  }
}
