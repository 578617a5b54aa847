import { annotation, buildDashboard, labelVariable } from './dashboard-builder.js';

const RATE = '[$__rate_interval]';

/**
 * Bytes each proxy sent toward its service, under the real Toxiproxy's name
 * (its -proxy-metrics); the embedded fault proxy exports the same series.
 */
const SENT_UPSTREAM = `sum by (proxy) (rate(toxiproxy_proxy_sent_bytes_total{direction="upstream"}${RATE}))`;

/**
 * A fault window is any time a proxy is disabled (instance or zone killed)
 * or carries a toxic (latency, reset...). Read from the fault proxy itself,
 * so it shows what was done whoever did it — a scenario, the CLI or a person.
 * The real Toxiproxy exports no state, only bytes: there a proxy that sent
 * nothing upstream over the rate window counts as faulted (every proxy
 * carries health checks every second, so silence means cut off).
 */
export const FAULT_WINDOW_EXPR =
  'max by (proxy) (1 - zonemesh_toxiproxy_proxy_enabled) > 0 or max by (proxy) (zonemesh_toxiproxy_active_toxics) > 0' +
  ` or (${SENT_UPSTREAM} == 0) + 1`;

/** Chaos: fault windows as annotations over the signals a scenario asserts on. */
export const chaosDashboard = buildDashboard({
  uid: 'zonemesh-chaos',
  title: 'zonemesh / Chaos',
  description:
    'Fault windows (disabled proxies, active toxics) as annotations over traffic, errors and failover. Works with the embedded fault proxy (zonemesh_toxiproxy_* state gauges) and with the real Toxiproxy started with -proxy-metrics (toxiproxy_proxy_sent_bytes_total, which both export): there a proxy silent over the rate window counts as disabled, and the toxics and connections panels stay empty because it exports no such state.',
  variables: [labelVariable('proxy', 'Proxy', 'toxiproxy_proxy_sent_bytes_total')],
  annotations: [annotation('Fault windows', FAULT_WINDOW_EXPR, 'fault on {{proxy}}')],
  rows: [
    {
      row: 'Faults',
      panels: [
        {
          title: 'Proxies disabled',
          description: 'How many instances/registries are cut off right now (real Toxiproxy: proxies that sent nothing over the rate window).',
          kind: 'stat',
          width: 8,
          queries: [
            {
              expr: `count(zonemesh_toxiproxy_proxy_enabled == 0) or 0 * count(zonemesh_toxiproxy_proxy_enabled) or count(${SENT_UPSTREAM} == 0) or 0 * count(${SENT_UPSTREAM})`,
              legend: 'disabled',
            },
          ],
        },
        {
          title: 'Active toxics',
          description: 'Toxics installed across all proxies (embedded fault proxy only: the real Toxiproxy exports no toxic state).',
          kind: 'stat',
          width: 8,
          queries: [{ expr: 'sum(zonemesh_toxiproxy_active_toxics)', legend: 'toxics' }],
        },
        {
          title: 'Open connections through the fault proxy',
          description: 'Connections held open per proxy (gRPC keeps one per caller and endpoint; embedded fault proxy only).',
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
          queries: [{ expr: 'sum by (proxy) (rate(toxiproxy_proxy_sent_bytes_total{proxy=~"$proxy"}' + RATE + '))', legend: '{{proxy}}' }],
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
