import { buildDashboard, labelVariable } from './dashboard-builder.js';

const GATEWAY = 'service="gateway", zone=~"$zone"';
const GRPC = 'service=~"$service", zone=~"$zone"';
const RATE = '[$__rate_interval]';

const quantiles = (metric: string, by: string, selector: string, legend: string) =>
  [0.5, 0.95, 0.99].map((q) => ({
    expr: `histogram_quantile(${q}, sum by (${by}le) (rate(${metric}_bucket{${selector}}${RATE})))`,
    legend: `p${Math.round(q * 100)}${legend}`,
  }));

/** Mesh overview: rate, errors and latency (RED) of the edge and of every gRPC service, per zone. */
export const meshOverviewDashboard = buildDashboard({
  uid: 'zonemesh-overview',
  title: 'zonemesh / Mesh overview',
  description: 'Rate, errors and duration of the gateway and every gRPC service, per service and zone.',
  variables: [
    labelVariable('zone', 'Zone', 'zonemesh_grpc_server_requests_total'),
    labelVariable('service', 'Service', 'zonemesh_grpc_server_requests_total'),
  ],
  rows: [
    {
      row: 'Edge (gateway)',
      panels: [
        {
          title: 'Gateway requests by status',
          description: 'How much traffic enters the mesh, and with which HTTP status it leaves.',
          unit: 'reqps',
          stacked: true,
          queries: [{ expr: `sum by (code) (rate(zonemesh_http_server_requests_total{${GATEWAY}}${RATE}))`, legend: '{{code}}' }],
        },
        {
          title: 'Gateway error ratio (5xx)',
          description: 'Share of gateway answers that are server errors; 4xx (bad ids) are the caller’s and not counted.',
          unit: 'percentunit',
          queries: [
            {
              expr:
                `(sum(rate(zonemesh_http_server_requests_total{${GATEWAY}, code=~"5.."}${RATE})) or vector(0))` +
                ` / sum(rate(zonemesh_http_server_requests_total{${GATEWAY}}${RATE}))`,
              legend: '5xx share',
            },
          ],
        },
        {
          title: 'Gateway latency',
          description: 'p50/p95/p99 of the whole request as the client sees it, every hop included.',
          unit: 's',
          width: 24,
          queries: quantiles('zonemesh_http_server_request_duration_seconds', '', GATEWAY, ''),
        },
      ],
    },
    {
      row: 'gRPC services',
      panels: [
        {
          title: 'gRPC requests by service and zone',
          description: 'Where the work lands: a zone outage moves this traffic to the other zone.',
          unit: 'reqps',
          queries: [{ expr: `sum by (service, zone) (rate(zonemesh_grpc_server_requests_total{${GRPC}}${RATE}))`, legend: '{{service}} {{zone}}' }],
        },
        {
          title: 'gRPC error ratio by service',
          description: 'Share of calls answered with a status other than OK (NOT_FOUND included: bad ids).',
          unit: 'percentunit',
          queries: [
            {
              expr:
                `(sum by (service) (rate(zonemesh_grpc_server_requests_total{${GRPC}, code!="OK"}${RATE}))` +
                ` or 0 * sum by (service) (rate(zonemesh_grpc_server_requests_total{${GRPC}}${RATE})))` +
                ` / sum by (service) (rate(zonemesh_grpc_server_requests_total{${GRPC}}${RATE}))`,
              legend: '{{service}}',
            },
          ],
        },
        {
          title: 'gRPC non-OK codes',
          description: 'Which statuses the services return, by service and code.',
          unit: 'reqps',
          queries: [
            { expr: `sum by (service, code) (rate(zonemesh_grpc_server_requests_total{${GRPC}, code!="OK"}${RATE}))`, legend: '{{service}} {{code}}' },
          ],
        },
        {
          title: 'Pricing requests by version',
          description: 'Versioned routing at work: v2 gets only x-api-version: v2 and /api/v2/ traffic.',
          unit: 'reqps',
          queries: [{ expr: `sum by (version, zone) (rate(zonemesh_grpc_server_requests_total{service="pricing", zone=~"$zone"}${RATE}))`, legend: '{{version}} {{zone}}' }],
        },
        {
          title: 'gRPC latency p99 by service and zone',
          description: 'Server-side handling time; the gap to the gateway latency is network and queueing.',
          unit: 's',
          width: 24,
          queries: [
            {
              expr: `histogram_quantile(0.99, sum by (service, zone, le) (rate(zonemesh_grpc_server_request_duration_seconds_bucket{${GRPC}}${RATE})))`,
              legend: 'p99 {{service}} {{zone}}',
            },
            {
              expr: `histogram_quantile(0.5, sum by (service, zone, le) (rate(zonemesh_grpc_server_request_duration_seconds_bucket{${GRPC}}${RATE})))`,
              legend: 'p50 {{service}} {{zone}}',
            },
          ],
        },
      ],
    },
    {
      row: 'Processes',
      panels: [
        {
          title: 'Targets up by job',
          description: 'How many processes of each kind Prometheus can scrape right now.',
          kind: 'stat',
          width: 24,
          queries: [{ expr: 'sum by (job) (up)', legend: '{{job}}' }],
        },
        {
          title: 'Event loop lag p99',
          description: 'A busy or blocked Node process shows here before it shows in latency.',
          unit: 's',
          queries: [{ expr: 'max by (service, zone) (nodejs_eventloop_lag_p99_seconds{zone=~"$zone"})', legend: '{{service}} {{zone}}' }],
        },
        {
          title: 'Resident memory',
          description: 'Memory per process kind and zone (max over instances).',
          unit: 'bytes',
          queries: [{ expr: 'max by (service, zone) (process_resident_memory_bytes{zone=~"$zone"})', legend: '{{service}} {{zone}}' }],
        },
      ],
    },
  ],
});
