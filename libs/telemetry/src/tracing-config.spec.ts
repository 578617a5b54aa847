import { describe, expect, it } from 'vitest';
import { loadTracingConfig } from './tracing-config.js';

describe('loadTracingConfig', () => {
  it('prints to the console by default', () => {
    expect(loadTracingConfig({})).toEqual({ exporters: ['console'], otlpUrl: 'http://localhost:4318/v1/traces' });
  });

  it('sends OTLP/HTTP to the configured endpoint when there is one', () => {
    expect(loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318/' })).toEqual({
      exporters: ['otlp'],
      otlpUrl: 'http://jaeger:4318/v1/traces',
    });
    expect(loadTracingConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/custom' }).otlpUrl).toBe('http://collector:4318/custom');
  });

  it('lets OTEL_TRACES_EXPORTER choose, including several or none', () => {
    expect(loadTracingConfig({ OTEL_TRACES_EXPORTER: 'console', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318' }).exporters).toEqual(['console']);
    expect(loadTracingConfig({ OTEL_TRACES_EXPORTER: 'otlp, console' }).exporters).toEqual(['otlp', 'console']);
    expect(loadTracingConfig({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318' }).exporters).toEqual([]);
    expect(loadTracingConfig({ OTEL_SDK_DISABLED: 'true' }).exporters).toEqual([]);
  });

  it('names every bad variable at once', () => {
    expect(() =>
      loadTracingConfig({ OTEL_TRACES_EXPORTER: 'zipkin', OTEL_EXPORTER_OTLP_ENDPOINT: 'jaeger:4318', OTEL_SDK_DISABLED: 'yes' }),
    ).toThrow(
      'OTEL_EXPORTER_OTLP_ENDPOINT: expected an http(s) URL like "http://jaeger:4318", got "jaeger:4318"; ' +
        'OTEL_SDK_DISABLED: expected true or false, got "yes"; ' +
        'OTEL_TRACES_EXPORTER: expected otlp, console, none or a comma list of them, got "zipkin"',
    );
    expect(() => loadTracingConfig({ OTEL_TRACES_EXPORTER: 'none,console' })).toThrow('"none" cannot be combined');
  });
});
