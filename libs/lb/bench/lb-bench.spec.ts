import { describe, expect, it } from 'vitest';
import { parseLbBenchArgs, runLbBench } from './index.js';

describe('zonemesh bench lb', () => {
  it('runs end to end in its smoke configuration and reports every figure (no timing asserted)', async () => {
    const result = await runLbBench(['--smoke']);
    expect(result).toMatchObject({ bench: 'lb', mode: 'smoke', e2e_errors: 0 });
    for (const key of ['pick_ns_300', 'pick_grpc_rr_ns_300', 'pick_ratio_vs_grpc_rr', 'e2e_calls_per_s', 'e2e_grpc_rr_calls_per_s', 'e2e_ratio_vs_grpc_rr', 'ratio']) {
      expect(result[key], key).toBeGreaterThan(0);
    }
    expect(result.ratio).toBe(result.e2e_ratio_vs_grpc_rr);
    expect(Object.keys(result.pick as object)).toEqual(['3', '300']);
    // The failover run observed every attempt: before the kill all of them went to the caller's zone.
    const failover = (result.failover as Record<string, { calls: number; zoneAShareBefore: number }>).zonemesh!;
    expect(failover.calls).toBeGreaterThan(0);
    expect(failover.zoneAShareBefore).toBe(1);
    expect(typeof result.failover_errors).toBe('number');
    expect(typeof result.failover_s).toBe('number');
    expect(() => JSON.stringify(result)).not.toThrow();
  }, 60_000);

  it('validates its flags once, naming the flag', () => {
    expect(parseLbBenchArgs(['--quick']).mode).toBe('quick');
    expect(parseLbBenchArgs(['--only', 'pick,e2e']).parts).toEqual(['pick', 'e2e']);
    expect(parseLbBenchArgs(['--ttl', '10s', '--health-interval', '500ms']).failover).toMatchObject({ failedInstanceTtl: '10s', healthInterval: '500ms' });
    expect(() => parseLbBenchArgs(['--only', 'pick,warp'])).toThrow(/--only: unknown "warp"/);
    expect(() => parseLbBenchArgs(['--ttl', 'soon'])).toThrow(/--ttl: expected a duration/);
    expect(() => parseLbBenchArgs(['--quick', '--smoke'])).toThrow(/exclude each other/);
    expect(() => parseLbBenchArgs(['--turbo'])).toThrow(/turbo/);
  });
});
