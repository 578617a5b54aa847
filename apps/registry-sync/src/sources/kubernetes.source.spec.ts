import { afterEach, describe, expect, it } from 'vitest';
import { endpointSlice, FakeKubeApi } from '../testing/fake-kube-api.test.js';
import { waitFor } from '../testing/registry-process.test.js';
import type { InstanceSourceUpdate } from './instance-source.js';
import { KubernetesEndpointSliceSource } from './kubernetes.source.js';

let api: FakeKubeApi;
let source: KubernetesEndpointSliceSource | undefined;

afterEach(async () => {
  await source?.stop();
  await api?.stop();
});

function startSource(): InstanceSourceUpdate[] {
  const updates: InstanceSourceUpdate[] = [];
  source = new KubernetesEndpointSliceSource({
    apiServer: api.url,
    namespace: 'shop',
    labelSelector: 'app=reviews',
    app: undefined,
    portName: 'http',
    token: undefined,
    retryMs: 100,
    defaultZone: 'zone-a',
    log: () => undefined,
  });
  source.start((u) => updates.push(u));
  return updates;
}

/** The latest list as `id@host:port/zone`. */
function latest(updates: InstanceSourceUpdate[]): string[] | undefined {
  for (let i = updates.length - 1; i >= 0; i -= 1) {
    const update = updates[i]!;
    if ('instances' in update) return update.instances.map((x) => `${x.app}/${x.instanceId}@${x.host}:${x.port}/${x.zone}`);
  }
  return undefined;
}

async function until(updates: InstanceSourceUpdate[], expected: string[], what: string): Promise<void> {
  await waitFor(() => JSON.stringify(latest(updates)) === JSON.stringify(expected), { what: `${what}: ${JSON.stringify(latest(updates))}` });
}

const pod = (n: number, zone: string, ready = true) => ({ ip: `10.0.${zone === 'zone-a' ? 1 : 2}.${n}`, pod: `reviews-${n}`, zone, ready });

describe('KubernetesEndpointSliceSource (replayed watch streams)', () => {
  it('lists, then follows ADDED, MODIFIED, DELETED and BOOKMARK events; ready endpoints only, zone from the slice', async () => {
    api = await FakeKubeApi.start();
    api.list = { resourceVersion: '100', items: [endpointSlice('reviews-abc', '90', [pod(1, 'zone-a'), pod(2, 'zone-b', false)])] };
    const updates = startSource();
    await until(updates, ['REVIEWS/reviews-1:9080@10.0.1.1:9080/zone-a'], 'initial list, not-ready endpoint skipped');
    await waitFor(() => api.openWatches === 1, { what: 'watch open' });
    expect(api.requests.filter((r) => r.watch)[0]).toMatchObject({ resourceVersion: '100', labelSelector: 'app=reviews' });

    api.send({ type: 'ADDED', object: endpointSlice('reviews-def', '101', [pod(3, 'zone-b')]) });
    await until(updates, ['REVIEWS/reviews-1:9080@10.0.1.1:9080/zone-a', 'REVIEWS/reviews-3:9080@10.0.2.3:9080/zone-b'], 'ADDED');

    api.send({ type: 'MODIFIED', object: endpointSlice('reviews-abc', '102', [pod(1, 'zone-a'), pod(2, 'zone-b')], 9090) });
    await until(
      updates,
      ['REVIEWS/reviews-1:9090@10.0.1.1:9090/zone-a', 'REVIEWS/reviews-2:9090@10.0.2.2:9090/zone-b', 'REVIEWS/reviews-3:9080@10.0.2.3:9080/zone-b'],
      'MODIFIED: endpoint became ready, port changed',
    );

    api.send({ type: 'BOOKMARK', object: { kind: 'EndpointSlice', apiVersion: 'discovery.k8s.io/v1', metadata: { resourceVersion: '150' } } });
    api.send({ type: 'DELETED', object: endpointSlice('reviews-def', '151', [pod(3, 'zone-b')]) });
    await until(updates, ['REVIEWS/reviews-1:9090@10.0.1.1:9090/zone-a', 'REVIEWS/reviews-2:9090@10.0.2.2:9090/zone-b'], 'DELETED');

    // The API server ends the watch: the informer re-watches from the last version seen, without a relist.
    api.endWatches();
    await waitFor(() => api.requests.filter((r) => r.watch).length === 2, { what: 're-watch' });
    expect(api.requests.filter((r) => r.watch)[1]!.resourceVersion).toBe('151');
    expect(api.requests.filter((r) => !r.watch)).toHaveLength(1);
    expect(updates.some((u) => 'error' in u)).toBe(false);
  });

  it('relists after a 410 Gone, dropping slices deleted while it was not watching', async () => {
    api = await FakeKubeApi.start();
    api.list = { resourceVersion: '200', items: [endpointSlice('reviews-abc', '190', [pod(1, 'zone-a')]), endpointSlice('reviews-def', '191', [pod(3, 'zone-b')])] };
    const updates = startSource();
    await until(updates, ['REVIEWS/reviews-1:9080@10.0.1.1:9080/zone-a', 'REVIEWS/reviews-3:9080@10.0.2.3:9080/zone-b'], 'initial list');
    await waitFor(() => api.openWatches === 1, { what: 'watch open' });

    // Meanwhile reviews-def vanished and a pod was added; the watch reports the version as expired.
    api.list = { resourceVersion: '500', items: [endpointSlice('reviews-abc', '480', [pod(1, 'zone-a'), pod(4, 'zone-a')])] };
    api.send({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'too old resource version: 200 (480)', reason: 'Expired', code: 410 } });
    api.endWatches();
    await until(updates, ['REVIEWS/reviews-1:9080@10.0.1.1:9080/zone-a', 'REVIEWS/reviews-4:9080@10.0.1.4:9080/zone-a'], 'relisted after ERROR 410');
    expect(api.requests.filter((r) => !r.watch)).toHaveLength(2);

    // A watch request answered 410 itself relists as well.
    api.list = { resourceVersion: '600', items: [endpointSlice('reviews-abc', '590', [pod(4, 'zone-a')])] };
    api.nextWatchStatus = 410;
    api.endWatches();
    await until(updates, ['REVIEWS/reviews-4:9080@10.0.1.4:9080/zone-a'], 'relisted after HTTP 410');
    await waitFor(() => api.openWatches === 1, { what: 'watching again' });
    expect(api.requests.filter((r) => r.watch).at(-1)!.resourceVersion).toBe('600');
  });

  it('reports an unreachable API server as an error and recovers by relisting', async () => {
    api = await FakeKubeApi.start();
    api.list = { resourceVersion: '10', items: [endpointSlice('reviews-abc', '9', [pod(1, 'zone-a')])] };
    const updates = startSource();
    await until(updates, ['REVIEWS/reviews-1:9080@10.0.1.1:9080/zone-a'], 'initial list');
    await api.stop();
    await waitFor(() => updates.some((u) => 'error' in u), { what: 'error update' });
    const error = updates.find((u) => 'error' in u) as { error: Error };
    expect(error.error.message).toMatch(/^kubernetes http:\/\/127\.0\.0\.1:\d+: .*retrying in 100 ms$/);
    api.list = { resourceVersion: '20', items: [endpointSlice('reviews-abc', '19', [pod(2, 'zone-b')])] };
    await api.listen();
    await until(updates, ['REVIEWS/reviews-2:9080@10.0.2.2:9080/zone-b'], 'relisted after the API came back');
  });
});
