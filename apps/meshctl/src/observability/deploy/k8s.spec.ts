import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT } from '../../workspace.js';
import { k8sProblems } from './k8s-checks.js';
import { kustomizeBuild, type K8sObject } from './kustomize-render.js';

const K8S = join(WORKSPACE_ROOT, 'infra', 'k8s');
const objects = kustomizeBuild(K8S);

type Pod = { metadata: { labels: Record<string, string> }; spec: { nodeSelector?: Record<string, string>; containers: { env?: { name: string; value?: string }[]; readinessProbe?: { grpc?: { port: number } } }[] } };
const template = (o: K8sObject) => (o.spec as { template: Pod }).template;
const envOf = (o: K8sObject, name: string) => template(o).spec.containers[0]!.env?.find((e) => e.name === name)?.value;

describe('infra/k8s (kustomize, rendered by a minimal TS kustomize and checked with typed required-field checks)', () => {
  it('renders, puts namespaced objects in the zonemesh namespace and labels everything part-of zonemesh', () => {
    expect(objects.length).toBeGreaterThan(10);
    for (const o of objects) {
      if (o.kind !== 'Namespace') expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).toBe('zonemesh');
      expect(o.metadata.labels?.['app.kubernetes.io/part-of']).toBe('zonemesh');
    }
  });

  it('every object passes the required-field checks of its kind', () => {
    expect(k8sProblems(objects)).toEqual([]);
  });

  it('the checks are live: broken manifests are reported', () => {
    const deployment = objects.find((o) => o.kind === 'Deployment')!;
    const broken = structuredClone(deployment) as K8sObject & { spec: { selector: { matchLabels: Record<string, string> }; template: Pod } };
    broken.spec.selector.matchLabels = { app: 'other' };
    broken.spec.template.spec.containers[0]!.readinessProbe = {};
    const problems = k8sProblems([...objects.filter((o) => o !== deployment), broken]);
    expect(problems.some((p) => p.includes('does not match'))).toBe(true);
    expect(problems.some((p) => p.includes('exactly one handler'))).toBe(true);
  });

  it('one registry per zone, and every workload is pinned to its zone with a matching ZONEMESH_ZONE', () => {
    const registries = objects.filter((o) => o.kind === 'StatefulSet');
    expect(registries.map((o) => o.metadata.name).sort()).toEqual(['registry-zone-a', 'registry-zone-b']);
    const workloads = objects.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet');
    for (const w of workloads) {
      const zone = template(w).spec.nodeSelector?.['topology.kubernetes.io/zone'];
      expect(zone, w.metadata.name).toMatch(/^zone-[ab]$/);
      expect(envOf(w, 'ZONEMESH_ZONE'), w.metadata.name).toBe(zone);
    }
    const zonesOf = (app: string) => new Set(workloads.filter((w) => template(w).metadata.labels['app.kubernetes.io/name'] === app).map((w) => envOf(w, 'ZONEMESH_ZONE')));
    for (const app of ['catalog', 'pricing', 'inventory', 'gateway', 'registry']) expect([...zonesOf(app)].sort(), app).toEqual(['zone-a', 'zone-b']);
  });

  it('gRPC services are ready through the kubelet grpc probe on their gRPC port, with 2 replicas per zone', () => {
    const grpcServices = objects.filter((o) => o.kind === 'Deployment' && /^(catalog|pricing|inventory)/.test(o.metadata.name));
    expect(grpcServices).toHaveLength(8);
    for (const d of grpcServices) {
      expect((d.spec as { replicas: number }).replicas).toBe(2);
      expect(template(d).spec.containers[0]!.readinessProbe?.grpc?.port).toBe(Number(envOf(d, 'ZONEMESH_PORT')));
    }
  });
});
