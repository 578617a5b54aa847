/** Where spans go: one entry per exporter; none at all means tracing is off. */
export type TraceExporterKind = 'otlp' | 'console';

/** Tracing settings read once from the standard OTEL_* variables. */
export interface TracingConfig {
  /** Empty when tracing is off (OTEL_TRACES_EXPORTER=none or OTEL_SDK_DISABLED=true). */
  readonly exporters: readonly TraceExporterKind[];
  /** The OTLP/HTTP traces URL, e.g. `http://jaeger:4318/v1/traces`. */
  readonly otlpUrl: string;
}

const KINDS = ['otlp', 'console', 'none'] as const;
const DEFAULT_OTLP_BASE = 'http://localhost:4318';

/**
 * Reads OTEL_TRACES_EXPORTER (otlp, console, none, or a comma list),
 * OTEL_EXPORTER_OTLP_ENDPOINT / OTEL_EXPORTER_OTLP_TRACES_ENDPOINT and
 * OTEL_SDK_DISABLED. With no exporter named, an OTLP endpoint selects OTLP
 * (compose points it at Jaeger) and anything else gets the console.
 * Throws one message naming every bad variable.
 */
export function loadTracingConfig(env: Readonly<Record<string, string | undefined>>): TracingConfig {
  const errors: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const url = (name: string, value: string): string => {
    try {
      const parsed = new URL(value);
      if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return value;
    } catch {
      // reported below
    }
    errors.push(`${name}: expected an http(s) URL like "http://jaeger:4318", got ${JSON.stringify(value)}`);
    return value;
  };

  const tracesEndpoint = read('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const baseEndpoint = read('OTEL_EXPORTER_OTLP_ENDPOINT');
  // Per the OTLP spec the signal-specific URL is used as is; the base gets /v1/traces.
  const otlpUrl = tracesEndpoint
    ? url('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', tracesEndpoint)
    : `${url('OTEL_EXPORTER_OTLP_ENDPOINT', baseEndpoint ?? DEFAULT_OTLP_BASE).replace(/\/+$/, '')}/v1/traces`;

  const disabled = read('OTEL_SDK_DISABLED');
  if (disabled !== undefined && disabled !== 'true' && disabled !== 'false') {
    errors.push(`OTEL_SDK_DISABLED: expected true or false, got ${JSON.stringify(disabled)}`);
  }

  const named = read('OTEL_TRACES_EXPORTER');
  let exporters: TraceExporterKind[];
  if (named === undefined) {
    exporters = tracesEndpoint || baseEndpoint ? ['otlp'] : ['console'];
  } else {
    const kinds = [...new Set(named.split(',').map((kind) => kind.trim().toLowerCase()))];
    for (const kind of kinds) {
      if (!(KINDS as readonly string[]).includes(kind)) {
        errors.push(`OTEL_TRACES_EXPORTER: expected ${KINDS.join(', ')} or a comma list of them, got ${JSON.stringify(kind)}`);
      }
    }
    if (kinds.includes('none') && kinds.length > 1) errors.push('OTEL_TRACES_EXPORTER: "none" cannot be combined with other exporters');
    exporters = kinds.filter((kind): kind is TraceExporterKind => kind === 'otlp' || kind === 'console');
  }

  if (errors.length > 0) throw new Error(errors.join('; '));
  return Object.freeze({ exporters: disabled === 'true' ? [] : Object.freeze(exporters), otlpUrl });
}
