/**
 * Service configs pushed to running channels (a reload): a channel created
 * with the channel option LIVE_CONFIG_KEY gets, through its resolver, the
 * last service config published under that key, with its endpoint list.
 * grpc-js then hands the new LB config to the same zonemesh balancer
 * (updateAddressList: endpoints, connections and calls in flight kept) and
 * swaps the method configs (retries) for calls started from then on: no
 * call is dropped.
 */

/** Channel option naming the key a channel follows (the cluster's name in mesh processes). */
export const LIVE_CONFIG_KEY = 'zonemesh.live_config_key';

const configs = new Map<string, object>();
const listeners = new Map<string, Set<(config: object) => void>>();

/** The service config (`{ loadBalancingConfig, methodConfig }`, as JSON text) for every channel following `key`, now and later. */
export function publishServiceConfig(key: string, serviceConfigJson: string): void {
  const config = JSON.parse(serviceConfigJson) as object;
  configs.set(key, config);
  for (const listener of [...(listeners.get(key) ?? [])]) listener(config);
}

/** The last config published under `key`, if any. */
export function liveServiceConfig(key: string): object | undefined {
  return configs.get(key);
}

/** Calls `listener` with every config published under `key` from now on; returns the unsubscribe. */
export function watchServiceConfig(key: string, listener: (config: object) => void): () => void {
  let set = listeners.get(key);
  if (!set) listeners.set(key, (set = new Set()));
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0) listeners.delete(key);
  };
}
