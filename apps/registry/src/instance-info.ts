/** Eureka's InstanceStatus values. */
export const INSTANCE_STATUSES = ['UP', 'DOWN', 'STARTING', 'OUT_OF_SERVICE', 'UNKNOWN'] as const;
export type InstanceStatus = (typeof INSTANCE_STATUSES)[number];

export type ActionType = 'ADDED' | 'MODIFIED' | 'DELETED';

export const DEFAULT_DATA_CENTER_CLASS = 'com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo';
export const AMAZON_DATA_CENTER_CLASS = 'com.netflix.appinfo.AmazonInfo';
export const DEFAULT_LEASE_DURATION_SECS = 90;
export const DEFAULT_RENEWAL_INTERVAL_SECS = 30;

export interface PortInfo {
  readonly port: number;
  readonly enabled: boolean;
}

export interface DataCenterInfo {
  /** The Jackson `@class`, e.g. DefaultDataCenterInfo or AmazonInfo. */
  readonly className: string;
  readonly name: string;
  /** Only AmazonInfo carries metadata (instance-id, availability-zone, ...). */
  readonly metadata?: Readonly<Record<string, string>>;
}

export interface LeaseInfo {
  readonly renewalIntervalInSecs: number;
  readonly durationInSecs: number;
  readonly registrationTimestamp: number;
  readonly lastRenewalTimestamp: number;
  readonly evictionTimestamp: number;
  readonly serviceUpTimestamp: number;
}

/**
 * One registered instance, normalised from whatever a client sent (see
 * instance.codec.ts). Immutable: the store replaces the object on every
 * change so delta entries can keep a snapshot without copying.
 */
export interface InstanceInfo {
  readonly instanceId: string;
  readonly hostName: string;
  /** Upper-cased, like Eureka's InstanceInfo.Builder does. */
  readonly app: string;
  readonly ipAddr: string;
  readonly sid: string;
  readonly status: InstanceStatus;
  readonly overriddenStatus: InstanceStatus;
  readonly port: PortInfo;
  readonly securePort: PortInfo;
  readonly countryId: number;
  readonly dataCenterInfo: DataCenterInfo;
  readonly leaseInfo: LeaseInfo;
  readonly metadata: Readonly<Record<string, string>>;
  readonly appGroupName?: string;
  readonly homePageUrl?: string;
  readonly statusPageUrl?: string;
  readonly healthCheckUrl?: string;
  readonly secureHealthCheckUrl?: string;
  readonly vipAddress?: string;
  readonly secureVipAddress?: string;
  readonly isCoordinatingDiscoveryServer: boolean;
  readonly lastUpdatedTimestamp: number;
  readonly lastDirtyTimestamp: number;
  readonly actionType?: ActionType;
  readonly asgName?: string;
}

export function isInstanceStatus(value: unknown): value is InstanceStatus {
  return typeof value === 'string' && (INSTANCE_STATUSES as readonly string[]).includes(value);
}
