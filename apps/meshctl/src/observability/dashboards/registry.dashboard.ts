import { buildDashboard, labelVariable } from './dashboard-builder.js';

const RATE = '[$__rate_interval]';
const REGISTRY = 'service="registry", zone=~"$zone"';

/** Registry: what each zone's Eureka knows, how leases are kept, and how replication keeps up. */
export const registryDashboard = buildDashboard({
  uid: 'zonemesh-registry',
  title: 'zonemesh / Registry',
  description: 'Instances by zone and status, renewals, evictions, self-preservation and replication between the zone registries.',
  variables: [labelVariable('zone', 'Registry zone', 'zonemesh_registry_instances')],
  rows: [
    {
      row: 'Instances',
      panels: [
        {
          title: 'Instances by registry zone and status',
          description: 'Each registry’s view; both zones should agree once replication has caught up.',
          stacked: true,
          queries: [{ expr: `sum by (zone, status) (zonemesh_registry_instances{${REGISTRY}})`, legend: '{{zone}} {{status}}' }],
        },
        {
          title: 'Instances by app (UP)',
          description: 'How many UP instances of each app each registry hands out.',
          queries: [{ expr: `sum by (zone, app) (zonemesh_registry_instances{${REGISTRY}, status="UP"})`, legend: '{{zone}} {{app}}' }],
        },
      ],
    },
    {
      row: 'Leases',
      panels: [
        {
          title: 'Renewals',
          description: 'Heartbeats received per second; a zone outage halves them.',
          unit: 'reqps',
          queries: [{ expr: `sum by (zone) (rate(zonemesh_registry_renewals_total{${REGISTRY}}${RATE}))`, legend: '{{zone}}' }],
        },
        {
          title: 'Evictions',
          description: 'Leases expired and removed; stays 0 while self-preservation is on.',
          queries: [{ expr: `sum by (zone) (increase(zonemesh_registry_evictions_total{${REGISTRY}}${RATE}))`, legend: '{{zone}}' }],
        },
        {
          title: 'Self-preservation',
          description: '1 while a registry refuses to evict because renewals fell below the threshold.',
          queries: [{ expr: `max by (zone) (zonemesh_registry_self_preservation{${REGISTRY}})`, legend: '{{zone}}' }],
        },
      ],
    },
    {
      row: 'Replication',
      panels: [
        {
          title: 'Replication queue',
          description: 'Changes waiting to be sent to peer registries.',
          queries: [{ expr: `sum by (zone) (zonemesh_registry_replication_queue{${REGISTRY}})`, legend: '{{zone}}' }],
        },
        {
          title: 'Replication lag',
          description: 'Age of the oldest change not yet acknowledged by a peer.',
          unit: 's',
          queries: [{ expr: `max by (zone) (zonemesh_registry_replication_lag_seconds{${REGISTRY}})`, legend: '{{zone}}' }],
        },
      ],
    },
  ],
});
