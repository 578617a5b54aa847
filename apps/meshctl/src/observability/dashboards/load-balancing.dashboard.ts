import { buildDashboard, labelVariable } from './dashboard-builder.js';

const RATE = '[$__rate_interval]';

/**
 * Load balancing & zones. `zone` on zonemesh_lb_endpoints is the endpoint's
 * zone (the metric's own label wins over the process label); picks carry
 * source_zone and destination_zone explicitly.
 */
export const loadBalancingDashboard = buildDashboard({
  uid: 'zonemesh-lb',
  title: 'zonemesh / Load balancing & zones',
  description: 'Client-side load balancing: endpoint states per zone, where picks go, ejections, retries, circuit breakers, panic and failover.',
  variables: [labelVariable('cluster', 'Cluster', 'zonemesh_lb_picks_total')],
  rows: [
    {
      row: 'Endpoints',
      panels: [
        {
          title: 'Endpoints by zone and state',
          description: 'What every caller believes about the endpoints of each cluster: serving, ejected, unhealthy, down...',
          stacked: true,
          queries: [{ expr: 'sum by (cluster, zone, state) (zonemesh_lb_endpoints{cluster=~"$cluster"})', legend: '{{cluster}} {{zone}} {{state}}' }],
        },
        {
          title: 'Clusters in panic',
          description: '1 while a caller balances over all endpoints because too few are healthy.',
          queries: [{ expr: 'max by (cluster, service, zone) (zonemesh_lb_panic{cluster=~"$cluster"})', legend: '{{service}} {{zone}} -> {{cluster}}' }],
        },
      ],
    },
    {
      row: 'Zones',
      panels: [
        {
          title: 'Picks by source and destination zone',
          description: 'Where calls go: same-zone pairs dominate until a zone fails, then the cross-zone pairs rise (failover) and fall back (failback).',
          unit: 'reqps',
          queries: [
            {
              expr: 'sum by (source_zone, destination_zone) (rate(zonemesh_lb_picks_total{cluster=~"$cluster"}' + RATE + '))',
              legend: '{{source_zone}} -> {{destination_zone}}',
            },
          ],
        },
        {
          title: 'Cross-zone share',
          description: "Share of calls leaving the caller's zone, per caller and cluster (0 = all local).",
          unit: 'percentunit',
          queries: [{ expr: 'max by (cluster, service, zone) (zonemesh_lb_spill_ratio{cluster=~"$cluster"})', legend: '{{service}} {{zone}} -> {{cluster}}' }],
        },
        {
          title: 'Failover timeline: picks by destination zone',
          description: 'Each cluster’s traffic by the zone that served it, stacked: a zone outage is a band that moves.',
          unit: 'reqps',
          stacked: true,
          width: 24,
          queries: [
            { expr: 'sum by (cluster, destination_zone) (rate(zonemesh_lb_picks_total{cluster=~"$cluster"}' + RATE + '))', legend: '{{cluster}} @ {{destination_zone}}' },
          ],
        },
      ],
    },
    {
      row: 'Resilience',
      panels: [
        {
          title: 'Ejections by reason',
          description: 'Outlier detection removing endpoints (consecutive errors, gateway failures, success rate...).',
          queries: [{ expr: 'sum by (cluster, reason) (increase(zonemesh_lb_ejections_total{cluster=~"$cluster"}' + RATE + '))', legend: '{{cluster}} {{reason}}' }],
        },
        {
          title: 'Retries',
          description: 'Attempts re-sent to another endpoint after a retryable failure.',
          unit: 'reqps',
          queries: [{ expr: 'sum by (cluster) (rate(zonemesh_lb_retries_total{cluster=~"$cluster"}' + RATE + '))', legend: '{{cluster}}' }],
        },
        {
          title: 'Circuit breaker overflow',
          description:
            "Calls refused by a cluster's circuit breakers (RESOURCE_EXHAUSTED at once), by threshold: max_requests, max_pending_requests, max_retries (Envoy's upstream_rq_pending_overflow / upstream_rq_retry_overflow). Zero unless a cluster is saturated.",
          unit: 'reqps',
          queries: [
            {
              expr: 'sum by (cluster, threshold) (rate(zonemesh_lb_circuit_breaker_overflow_total{cluster=~"$cluster"}' + RATE + '))',
              legend: '{{cluster}} {{threshold}}',
            },
          ],
        },
        {
          title: 'Calls in flight vs max_requests',
          description: 'Call attempts in flight per cluster (all callers summed) and, per caller, the max_requests threshold the breaker holds them under.',
          queries: [
            { expr: 'sum by (cluster) (zonemesh_lb_requests_active{cluster=~"$cluster"})', legend: 'in flight {{cluster}}' },
            { expr: 'max by (cluster) (zonemesh_lb_circuit_breaker_limit{cluster=~"$cluster", threshold="max_requests"})', legend: 'max_requests {{cluster}}' },
          ],
        },
        {
          title: 'Client call attempts by code',
          description: 'gRPC client side: every attempt, by cluster and status code.',
          unit: 'reqps',
          queries: [{ expr: 'sum by (cluster, code) (rate(zonemesh_grpc_client_requests_total{cluster=~"$cluster"}' + RATE + '))', legend: '{{cluster}} {{code}}' }],
        },
        {
          title: 'Client attempt latency p99',
          description: 'As the caller measures it, per cluster: includes the network and the fault proxy.',
          unit: 's',
          queries: [
            {
              expr: 'histogram_quantile(0.99, sum by (cluster, le) (rate(zonemesh_grpc_client_request_duration_seconds_bucket{cluster=~"$cluster"}' + RATE + ')))',
              legend: 'p99 {{cluster}}',
            },
          ],
        },
      ],
    },
  ],
});
