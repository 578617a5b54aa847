import { DiscoveryV1Api, KubeConfig, makeInformer, type Informer, type ObjectCache, type V1EndpointSlice } from '@kubernetes/client-node';
import type { KubernetesSourceConfig } from '../sync-config.js';
import type { SyncLog } from '../sync-log.js';
import { endpointSliceInstances } from './endpoint-slice.mapper.js';
import type { InstanceSource, InstanceSourceUpdate } from './instance-source.js';

export interface KubernetesSourceOptions extends KubernetesSourceConfig {
  /** The syncer's zone, for endpoints without one (clusters without topology labels). */
  readonly defaultZone: string;
  readonly log: SyncLog;
}

/**
 * EndpointSlices selected by a label, through @kubernetes/client-node's
 * list-then-watch informer: it re-watches from the last resourceVersion
 * (BOOKMARKs move it), and re-lists when the API answers 410 Gone (the
 * version is too old), firing deletes for slices that vanished meanwhile.
 * The full list is published after every (re)list and every watch event.
 * When the API server cannot be reached the informer stops: the failure is
 * reported (the syncer keeps the last good list) and the list-watch restarts
 * after `retryMs`.
 */
export class KubernetesEndpointSliceSource implements InstanceSource {
  readonly description: string;
  private informer: (Informer<V1EndpointSlice> & ObjectCache<V1EndpointSlice>) | undefined;
  private listener: ((update: InstanceSourceUpdate) => void) | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private publishQueued = false;
  private stopped = false;

  constructor(private readonly options: KubernetesSourceOptions) {
    this.description = `kubernetes ${options.apiServer} ${options.namespace}/endpointslices?labelSelector=${options.labelSelector}`;
  }

  start(listener: (update: InstanceSourceUpdate) => void): void {
    this.listener = listener;
    this.connect();
  }

  /**
   * A fresh informer, so a restart after a failure always re-lists: how long
   * the watch was broken is unknown, and a list is the only safe catch-up.
   */
  private connect(): void {
    const { apiServer, namespace, labelSelector, token } = this.options;
    const config = new KubeConfig();
    config.loadFromOptions({
      // client-node 1.x refuses plain http unless TLS verification is off; https keeps verifying.
      clusters: [{ name: 'zonemesh', server: apiServer, skipTLSVerify: apiServer.startsWith('http://') }],
      users: [{ name: 'zonemesh', ...(token === undefined ? {} : { token }) }],
      contexts: [{ name: 'zonemesh', cluster: 'zonemesh', user: 'zonemesh' }],
      currentContext: 'zonemesh',
    });
    const api = config.makeApiClient(DiscoveryV1Api);
    const path = `/apis/discovery.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/endpointslices`;
    const list = async () => {
      const result = await api.listNamespacedEndpointSlice({ namespace, labelSelector });
      // The informer applies the list after this resolves; publish once it has (also when the list is empty).
      setImmediate(() => {
        if (this.informer === informer) this.publish();
      });
      return result;
    };
    const informer = makeInformer(config, path, list, labelSelector);
    for (const verb of ['add', 'update', 'delete'] as const) informer.on(verb, () => this.queuePublish());
    informer.on('error', (error: unknown) => {
      if (this.stopped || this.informer !== informer) return;
      void informer.stop();
      this.listener?.({ error: new Error(`kubernetes ${apiServer}: ${describeError(error)}; retrying in ${this.options.retryMs} ms`) });
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => {
        if (!this.stopped) this.connect();
      }, this.options.retryMs);
      this.retryTimer.unref();
    });
    this.informer = informer;
    void informer.start().catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.informer?.stop();
  }

  /** Relists fire one callback per slice: publish once per burst. */
  private queuePublish(): void {
    if (this.publishQueued) return;
    this.publishQueued = true;
    setImmediate(() => {
      this.publishQueued = false;
      this.publish();
    });
  }

  private publish(): void {
    if (this.stopped || !this.informer) return;
    const instances = this.informer
      .list(this.options.namespace)
      .flatMap((slice) => endpointSliceInstances(slice, { app: this.options.app, portName: this.options.portName, defaultZone: this.options.defaultZone }))
      .sort((a, b) => (a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0));
    this.listener?.({ instances });
  }
}

function describeError(error: unknown): string {
  const e = error as { code?: unknown; cause?: { code?: unknown }; statusCode?: unknown; message?: unknown };
  const code = e?.cause?.code ?? e?.code ?? e?.statusCode;
  const message = typeof e?.message === 'string' ? e.message.split('\n')[0] : String(error);
  return code === undefined ? message! : `${String(code)} ${message}`;
}
