/** What a reviews instance is told by its environment (the mesh launcher sets it). */
export interface ReviewsConfig {
  /** `reviews-zone-a-1`: shown as `servedBy` so callers see which instance and zone answered. */
  readonly instanceId: string;
  readonly zone: string;
  readonly host: string;
  /** 0 = any free port. */
  readonly port: number;
}

/** A configuration problem, printed as one line naming the variable. */
export class ReviewsConfigError extends Error {}

/** Reads ZONEMESH_INSTANCE_ID, ZONEMESH_ZONE, ZONEMESH_HOST (default 127.0.0.1) and ZONEMESH_PORT (default 0). */
export function readReviewsConfig(env: NodeJS.ProcessEnv): ReviewsConfig {
  const required = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) throw new ReviewsConfigError(`${name}: required`);
    return value;
  };
  const rawPort = env.ZONEMESH_PORT?.trim() || '0';
  const port = Number(rawPort);
  if (!/^\d+$/.test(rawPort) || port > 65535) throw new ReviewsConfigError(`ZONEMESH_PORT: expected a port number 0-65535, got "${rawPort}"`);
  return {
    instanceId: required('ZONEMESH_INSTANCE_ID'),
    zone: required('ZONEMESH_ZONE'),
    host: env.ZONEMESH_HOST?.trim() || '127.0.0.1',
    port,
  };
}
