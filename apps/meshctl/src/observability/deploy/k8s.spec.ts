import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT } from '../../workspace.js';
import { k8sProblems } from './k8s-checks.js';
import { kubectlMissing, kustomizeBuild, meshConfigMap, type K8sObject } from './kustomize-render.js';

const K8S = join(WORKSPACE_ROOT, 'infra', 'k8s');
const missing = kubectlMissing();
if (missing) console.warn(`skipped: infra/k8s is rendered with \`kubectl kustomize\`: ${missing}`);
const objects = missing ? [] : kustomizeBuild(K8S);
// Made by the README's `kubectl create configmap` step, beside `kubectl apply -k`.
const meshMap = missing ? undefined : meshConfigMap(WORKSPACE_ROOT);

interface Container {
  name: string;
  env?: { name: string; value?: string }[];
  readinessProbe?: { grpc?: { port: number } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean; capabilities?: { drop?: string[] } };
  lifecycle?: { preStop?: unknown };
}
type Pod = {
  metadata: { labels: Record<string, string> };
  spec: { nodeSelector?: Record<string, string>; securityContext?: { runAsNonRoot?: boolean }; serviceAccountName?: string; containers: Container[] };
};
const template = (o: K8sObject) => (o.spec as { template: Pod }).template;
const envOf = (o: K8sObject, name: string) => template(o).spec.containers[0]!.env?.find((e) => e.name === name)?.value;
const workloads = () => objects.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet');
const zoned = () => workloads().filter((w) => w.metadata.labels?.['zonemesh.io/zone']);

describe.skipIf(missing !== undefined)('infra/k8s (rendered by `kubectl kustomize`, checked with typed required-field checks; no cluster runs here)', () => {
  it('renders, puts namespaced objects in the zonemesh namespace, labels everything part-of zonemesh, and fills in every zone variable', () => {
    expect(objects.length).toBeGreaterThan(20);
    for (const o of objects) {
      if (o.kind !== 'Namespace') expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).toBe('zonemesh');
      expect(o.metadata.labels?.['app.kubernetes.io/part-of']).toBe('zonemesh');
    }
    // The zone template's placeholders never survive, and the variables ConfigMap is never applied.
    expect(JSON.stringify(objects)).not.toMatch(/"(ZONE|PEERS)"/);
    expect(objects.some((o) => o.kind === 'ConfigMap' && /^zone(-zone-[ab])?$/.test(o.metadata.name))).toBe(false);
  });

  it('every zone workload mounts mesh.yaml from the zonemesh-mesh ConfigMap where ZONEMESH_CLUSTERS_FILE points', () => {
    const discovery = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'zonemesh-discovery') as { data: Record<string, string> } | undefined;
    expect(discovery?.data.ZONEMESH_CLUSTERS_FILE).toBe('/etc/zonemesh/mesh.yaml');
    for (const w of zoned()) {
      const spec = template(w).spec as unknown as { volumes: { name: string; configMap?: { name: string } }[]; containers: { volumeMounts: { name: string; mountPath: string }[] }[] };
      expect(spec.volumes, w.metadata.name).toContainEqual({ name: 'mesh', configMap: { name: 'zonemesh-mesh' } });
      expect(spec.containers[0]!.volumeMounts, w.metadata.name).toContainEqual(expect.objectContaining({ name: 'mesh', mountPath: '/etc/zonemesh' }));
    }
    expect((meshMap as unknown as { data: Record<string, string> }).data['mesh.yaml']).toBe(readFileSync(join(WORKSPACE_ROOT, 'mesh.yaml'), 'utf8'));
  });

  it('every object passes the required-field checks of its kind', () => {
    expect(k8sProblems([...objects, meshMap!])).toEqual([]);
  });

  it('the checks are live: broken manifests are reported', () => {
    const deployment = objects.find((o) => o.kind === 'Deployment')!;
    const broken = structuredClone(deployment) as K8sObject & { spec: { selector: { matchLabels: Record<string, string> }; template: Pod } };
    broken.spec.selector.matchLabels = { app: 'other' };
    broken.spec.template.spec.containers[0]!.readinessProbe = {};
    const problems = k8sProblems([...objects.filter((o) => o !== deployment), broken, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'x' }, roleRef: { kind: 'Role', name: 'ghost' }, subjects: [] }]);
    expect(problems.some((p) => p.includes('does not match'))).toBe(true);
    expect(problems.some((p) => p.includes('exactly one handler'))).toBe(true);
    expect(problems.some((p) => p.includes('RoleBinding/x: roleRef'))).toBe(true);
  });

  it('one registry per zone behind a headless Service, and every zone workload is pinned to its zone with a matching ZONEMESH_ZONE', () => {
    const registries = objects.filter((o) => o.kind === 'StatefulSet');
    expect(registries.map((o) => o.metadata.name).sort()).toEqual(['registry-zone-a', 'registry-zone-b']);
    for (const r of registries) {
      const service = objects.find((o) => o.kind === 'Service' && o.metadata.name === (r.spec as { serviceName: string }).serviceName)!;
      expect((service.spec as { clusterIP?: string }).clusterIP, r.metadata.name).toBe('None');
    }
    expect(envOf(registries[0]!, 'ZONEMESH_REGISTRY_PEERS')).toBe('http://toxiproxy:18762/eureka');
    for (const w of zoned()) {
      const zone = template(w).spec.nodeSelector?.['topology.kubernetes.io/zone'];
      expect(zone, w.metadata.name).toMatch(/^zone-[ab]$/);
      expect(envOf(w, 'ZONEMESH_ZONE'), w.metadata.name).toBe(zone);
      expect(w.metadata.name.endsWith(`-${zone}`), w.metadata.name).toBe(true);
    }
    const zonesOf = (app: string) => new Set(zoned().filter((w) => template(w).metadata.labels['app.kubernetes.io/name'] === app).map((w) => envOf(w, 'ZONEMESH_ZONE')));
    for (const app of ['catalog', 'pricing', 'inventory', 'gateway', 'registry', 'reviews']) expect([...zonesOf(app)].sort(), app).toEqual(['zone-a', 'zone-b']);
  });

  it('gRPC services are ready through the kubelet grpc probe on their gRPC port, with 2 replicas per zone', () => {
    const grpcServices = objects.filter((o) => o.kind === 'Deployment' && /^(catalog|pricing|inventory)/.test(o.metadata.name));
    expect(grpcServices).toHaveLength(8);
    for (const d of grpcServices) {
      expect((d.spec as { replicas: number }).replicas).toBe(2);
      expect(template(d).spec.containers[0]!.readinessProbe?.grpc?.port).toBe(Number(envOf(d, 'ZONEMESH_PORT')));
    }
  });

  it('every container has requests and limits and a non-root, read-only, capability-free securityContext; mesh processes drain before SIGTERM', () => {
    for (const w of workloads()) {
      const pod = template(w).spec;
      expect(pod.securityContext?.runAsNonRoot, w.metadata.name).toBe(true);
      for (const c of pod.containers) {
        const at = `${w.metadata.name}/${c.name}`;
        expect(Object.keys(c.resources?.requests ?? {}).sort(), at).toEqual(['cpu', 'memory']);
        expect(Object.keys(c.resources?.limits ?? {}).sort(), at).toEqual(['cpu', 'memory']);
        expect(c.securityContext, at).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      }
    }
    for (const w of zoned()) expect(template(w).spec.containers[0]!.lifecycle?.preStop, w.metadata.name).toBeDefined();
  });

  it('Toxiproxy runs with its proxy metrics in front of the registries; registry-sync may only read EndpointSlices', () => {
    const toxiproxy = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'toxiproxy')!;
    expect((template(toxiproxy).spec.containers[0] as { args?: string[] }).args).toContain('-proxy-metrics');
    const sync = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'registry-sync')!;
    expect(template(sync).spec.serviceAccountName).toBe('registry-sync');
    const role = objects.find((o) => o.kind === 'Role' && o.metadata.name === 'registry-sync') as unknown as { rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[] };
    expect(role.rules).toEqual([{ apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] }]);
  });
});
