import { annotation, buildDashboard, labelVariable } from './dashboard-builder.js';

const RATE = '[$__rate_interval]';

/**
 * A fault window is any time a proxy is disabled (instance or zone killed)
 * or carries a toxic (latency, reset...). Read from the fault proxy itself,
 * so it shows what was done whoever did it — a scenario, the CLI or a person.
 */
export const FAULT_WINDOW_EXPR =
  'max by (proxy) (1 - zonemesh_toxiproxy_proxy_enabled) > 0 or max by (proxy) (zonemesh_toxiproxy_active_toxics) > 0';

/** Chaos: fault windows as annotations over the signals a scenario asserts on. */
export const chaosDashboard = buildDashboard({
  uid: 'zonemesh-chaos',
  title: 'zonemesh / Chaos',
  description:
    'Fault windows (disabled proxies, active toxics) as annotations over traffic, errors and failover. Reads the embedded fault proxy’s zonemesh_toxiproxy_* metrics; the real Toxiproxy image exports toxiproxy_proxy_* instead, so under docker compose the toxiproxy panels stay empty.',
  variables: [labelVariable('proxy', 'Proxy', 'zonemesh_toxiproxy_proxy_enabled')],
  annotations: [annotation('Fault windows', FAULT_WINDOW_EXPR, 'fault on {{proxy}}')],
  rows: [
    {
      row: 'Faults',
      panels: [
        {
          title: 'Proxies disabled',
          description: 'How many instances/registries are cut off right now.',
          kind: 'stat',
          width: 8,
          queries: [{ expr: 'count(zonemesh_toxiproxy_proxy_enabled == 0) or 0 * count(zonemesh_toxiproxy_proxy_enabled)', legend: 'disabled' }],
        },
        {
          title: 'Active toxics',
          description: 'Toxics installed across all proxies.',
          kind: 'stat',
          width: 8,
          queries: [{ expr: 'sum(zonemesh_toxiproxy_active_toxics)', legend: 'toxics' }],
        },
        {
          title: 'Open connections through the fault proxy',
          description: 'Connections held open per proxy (gRPC keeps one per caller and endpoint).',
          kind: 'stat',
          width: 8,
          queries: [{ expr: 'sum(zonemesh_toxiproxy_connections)', legend: 'connections' }],
        },
        {
          title: 'Fault windows by proxy',
          description: 'Which proxy was faulted when (1 = disabled or toxic installed).',
          width: 24,
          queries: [{ expr: FAULT_WINDOW_EXPR, legend: '{{proxy}}' }],
        },
      ],
    },
    {
      row: 'Effect',
      panels: [
        {
          title: 'Gateway success ratio',
          description: 'Share of gateway answers below 500: what users felt during the fault.',
          unit: 'percentunit',
          queries: [
            {
              expr:
                'sum(rate(zonemesh_http_server_requests_total{service="gateway", code!~"5.."}' +
                RATE +
                ')) / sum(rate(zonemesh_http_server_requests_total{service="gateway"}' +
                RATE +
                '))',
              legend: 'success',
            },
          ],
        },
        {
          title: 'Bytes through the selected proxies',
          description: 'Traffic per proxy: a disabled proxy drops to zero, a latency toxic flattens it.',
          unit: 'Bps',
          queries: [{ expr: 'sum by (proxy) (rate(zonemesh_toxiproxy_bytes_total{proxy=~"$proxy"}' + RATE + '))', legend: '{{proxy}}' }],
        },
        {
          title: 'Served zone of each cluster',
          description: 'Picks by destination zone: the failover and the failback around each fault window.',
          unit: 'reqps',
          stacked: true,
          width: 24,
          queries: [{ expr: 'sum by (destination_zone) (rate(zonemesh_lb_picks_total' + RATE + '))', legend: '{{destination_zone}}' }],
        },
      ],
    },
  ],
});
