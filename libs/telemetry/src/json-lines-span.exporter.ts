import { SpanKind, SpanStatusCode, type HrTime } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-node';

/** One exported span as the console exporter prints it: a JSON line with `"event":"span"`. */
export interface SpanLine {
  readonly event: 'span';
  readonly name: string;
  readonly kind: 'INTERNAL' | 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER';
  readonly traceId: string;
  readonly spanId: string;
  /** Absent on a root span. */
  readonly parentSpanId?: string;
  readonly service: string;
  readonly instance: string;
  readonly zone: string;
  /** ISO-8601 start time. */
  readonly start: string;
  readonly durationMs: number;
  readonly status: 'UNSET' | 'OK' | 'ERROR';
  readonly statusMessage?: string;
  readonly attributes: Readonly<Record<string, unknown>>;
}

const KIND_NAMES: Record<SpanKind, SpanLine['kind']> = {
  [SpanKind.INTERNAL]: 'INTERNAL',
  [SpanKind.SERVER]: 'SERVER',
  [SpanKind.CLIENT]: 'CLIENT',
  [SpanKind.PRODUCER]: 'PRODUCER',
  [SpanKind.CONSUMER]: 'CONSUMER',
};
const STATUS_NAMES: Record<SpanStatusCode, SpanLine['status']> = {
  [SpanStatusCode.UNSET]: 'UNSET',
  [SpanStatusCode.OK]: 'OK',
  [SpanStatusCode.ERROR]: 'ERROR',
};

const millis = ([seconds, nanos]: HrTime): number => seconds * 1e3 + nanos / 1e6;

export function toSpanLine(span: ReadableSpan): SpanLine {
  const context = span.spanContext();
  const resource = span.resource.attributes;
  return {
    event: 'span',
    name: span.name,
    kind: KIND_NAMES[span.kind],
    traceId: context.traceId,
    spanId: context.spanId,
    ...(span.parentSpanContext ? { parentSpanId: span.parentSpanContext.spanId } : {}),
    service: String(resource['service.name'] ?? ''),
    instance: String(resource['service.instance.id'] ?? ''),
    zone: String(resource['cloud.availability_zone'] ?? ''),
    start: new Date(millis(span.startTime)).toISOString(),
    durationMs: Math.round(millis(span.duration) * 1000) / 1000,
    status: STATUS_NAMES[span.status.code],
    ...(span.status.message ? { statusMessage: span.status.message } : {}),
    attributes: span.attributes,
  };
}

/**
 * Prints each span as one JSON line (the SDK's ConsoleSpanExporter prints
 * multi-line util.inspect output that nothing can parse back). A batch is
 * written at once: under `zonemesh up` stdout is a log file and every
 * write is a syscall.
 */
export class JsonLinesSpanExporter implements SpanExporter {
  private stopped = false;

  constructor(private readonly write: (text: string) => void = (text) => void process.stdout.write(text)) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    if (this.stopped || spans.length === 0) {
      done({ code: this.stopped ? ExportResultCode.FAILED : ExportResultCode.SUCCESS });
      return;
    }
    try {
      this.write(spans.map((span) => `${JSON.stringify(toSpanLine(span))}\n`).join(''));
      done({ code: ExportResultCode.SUCCESS });
    } catch (error) {
      done({ code: ExportResultCode.FAILED, error: error as Error });
    }
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
  }

  /** Every export is written at once: nothing is ever pending here. */
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
}
