import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { JsonLinesSpanExporter } from './json-lines-span.exporter.js';
import type { ProcessIdentity } from './metrics-registry.js';
import { CLOUD_AVAILABILITY_ZONE, SERVICE_INSTANCE_ID, ZONEMESH_TRACER } from './trace-attributes.js';
import { loadTracingConfig } from './tracing-config.js';

export interface TracingOptions extends ProcessIdentity {
  /** Variables to read instead of process.env (OTEL_TRACES_EXPORTER, OTEL_EXPORTER_OTLP_ENDPOINT...). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Export here instead of where the environment says, one span at a time (tests: InMemorySpanExporter). */
  readonly exporter?: SpanExporter;
  /** Where the console exporter writes; default stdout. */
  readonly write?: (text: string) => void;
}

/** This process's tracing: the tracer to make spans with and the way to flush them at exit. */
export interface Tracing {
  /**
   * False with OTEL_TRACES_EXPORTER=none: nothing is registered, `tracer`
   * is the API's no-op, and callers should skip instrumenting altogether.
   */
  readonly enabled: boolean;
  /** What spans are exported to, e.g. ['console'], ['otlp http://jaeger:4318/v1/traces']. */
  readonly exporters: readonly string[];
  readonly tracer: Tracer;
  /** Exports every span ended so far. */
  forceFlush(): Promise<void>;
  /** Flushes, then unregisters the global provider, context manager and propagator. Idempotent. */
  shutdown(): Promise<void>;
}

// Console spans land in log files under `zonemesh up`; a short batch delay
// keeps them near real time while writing many spans per syscall.
const CONSOLE_BATCH_DELAY_MS = 200;

let started = false;

/**
 * Starts OpenTelemetry tracing for this process: a NodeTracerProvider whose
 * resource names the service, instance, zone and version, registered
 * globally with the AsyncLocalStorage context manager and the W3C
 * trace-context propagator. Exporters come from the environment (see
 * loadTracingConfig): OTLP/HTTP, JSON-lines console, or none — which
 * registers nothing, so a benchmark pays neither for export nor sampling.
 * Throws on bad OTEL_* settings, and when tracing is already started.
 */
export function startTracing(options: TracingOptions): Tracing {
  const config = loadTracingConfig(options.env ?? process.env);
  if (!options.exporter && config.exporters.length === 0) {
    const nothing = (): Promise<void> => Promise.resolve();
    return { enabled: false, exporters: [], tracer: trace.getTracer(ZONEMESH_TRACER), forceFlush: nothing, shutdown: nothing };
  }
  if (started) throw new Error('tracing is already started in this process; shut it down first');
  started = true;

  const processors: SpanProcessor[] = [];
  const exporters: string[] = [];
  if (options.exporter) {
    processors.push(new SimpleSpanProcessor(options.exporter));
    exporters.push(options.exporter.constructor.name);
  } else {
    for (const kind of config.exporters) {
      if (kind === 'console') {
        processors.push(new BatchSpanProcessor(new JsonLinesSpanExporter(options.write), { scheduledDelayMillis: CONSOLE_BATCH_DELAY_MS }));
        exporters.push('console');
      } else {
        processors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url: config.otlpUrl })));
        exporters.push(`otlp ${config.otlpUrl}`);
      }
    }
  }

  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: options.service,
      [SERVICE_INSTANCE_ID]: options.instance,
      [CLOUD_AVAILABILITY_ZONE]: options.zone,
      ...(options.version !== undefined ? { [ATTR_SERVICE_VERSION]: options.version } : {}),
    }),
    spanProcessors: processors,
  });
  // The default context manager is AsyncLocalStorage; only W3C trace context crosses hops.
  provider.register({ propagator: new W3CTraceContextPropagator() });

  let stopping: Promise<void> | undefined;
  return {
    enabled: true,
    exporters,
    tracer: provider.getTracer(ZONEMESH_TRACER),
    forceFlush: () => provider.forceFlush(),
    shutdown: () =>
      (stopping ??= provider
        .shutdown()
        .catch(() => undefined)
        .finally(() => {
          trace.disable();
          context.disable();
          propagation.disable();
          started = false;
        })),
  };
}
