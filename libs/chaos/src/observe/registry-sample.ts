/** How many instances one registry listed as UP at one moment. */
export interface RegistrySample {
  readonly t: number;
  readonly zone: string;
  /** Undefined when the registry did not answer. */
  readonly instances?: number;
  readonly error?: string;
}

/** Counts UP instances in a Eureka `GET /eureka/apps` JSON answer (instance may be a list or a single object). */
export function countUpInstances(document: unknown): number {
  const apps = (document as { applications?: { application?: unknown } })?.applications?.application;
  let count = 0;
  for (const app of Array.isArray(apps) ? apps : apps ? [apps] : []) {
    const instances = (app as { instance?: unknown }).instance;
    for (const instance of Array.isArray(instances) ? instances : instances ? [instances] : []) {
      const status = (instance as { status?: unknown }).status;
      if (status === undefined || status === 'UP') count++;
    }
  }
  return count;
}

/** `http://h:8761` and `http://h:8761/eureka` both become the apps URL. */
export function registryAppsUrl(url: string): string {
  const base = url.replace(/\/+$/, '');
  return /\/eureka(\/v2)?$/.test(base) ? `${base}/apps` : `${base}/eureka/apps`;
}
