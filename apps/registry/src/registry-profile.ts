/** Named presets for the registry's timings; `eureka` mirrors Netflix defaults. */
export const REGISTRY_PROFILES = ['fast', 'eureka'] as const;
export type RegistryProfileName = (typeof REGISTRY_PROFILES)[number];

/** Everything time-related the server does, printed at start-up so nobody guesses. */
export interface RegistryTimings {
  readonly profile: RegistryProfileName;
  readonly evictionIntervalMs: number;
  readonly selfPreservation: boolean;
  readonly renewalPercentThreshold: number;
  readonly expectedClientRenewalIntervalSecs: number;
  readonly doubleLeaseOnRenewal: boolean;
  readonly capEvictionPerRun: boolean;
  readonly deltaRetentionMs: number;
}

const PROFILES: Record<RegistryProfileName, RegistryTimings> = {
  // For the testbed: dead instances leave within lease + 2 s, so chaos runs stay short.
  fast: {
    profile: 'fast',
    evictionIntervalMs: 2_000,
    selfPreservation: false,
    renewalPercentThreshold: 0.85,
    expectedClientRenewalIntervalSecs: 30,
    doubleLeaseOnRenewal: false,
    capEvictionPerRun: false,
    deltaRetentionMs: 180_000,
  },
  // Netflix Eureka's defaults, including its quirks, to show what production does.
  eureka: {
    profile: 'eureka',
    evictionIntervalMs: 60_000,
    selfPreservation: true,
    renewalPercentThreshold: 0.85,
    expectedClientRenewalIntervalSecs: 30,
    doubleLeaseOnRenewal: true,
    capEvictionPerRun: true,
    deltaRetentionMs: 180_000,
  },
};

export function registryTimings(profile: RegistryProfileName): RegistryTimings {
  return PROFILES[profile];
}

export function describeTimings(t: RegistryTimings): string {
  return [
    `profile ${t.profile}`,
    `eviction every ${t.evictionIntervalMs / 1000}s${t.capEvictionPerRun ? ` (max ${Math.round((1 - t.renewalPercentThreshold) * 100)}% per run)` : ''}`,
    `self-preservation ${t.selfPreservation ? `on (threshold ${t.renewalPercentThreshold} of ${60 / t.expectedClientRenewalIntervalSecs} renews/min per instance)` : 'off'}`,
    `renewed leases expire after ${t.doubleLeaseOnRenewal ? '2x' : '1x'} duration`,
    `delta retention ${t.deltaRetentionMs / 1000}s`,
    'response cache off',
  ].join(', ');
}
