import type { K8sObject } from './kustomize-render.js';

// Required fields of the kinds the manifests use, checked with typed code
// (no Kubernetes JSON schemas vendored): apiVersion per kind, DNS-1123
// names, selectors that match their pod templates, containers with name and
// image, probes of a known kind, references that resolve.

const API_VERSIONS: Readonly<Record<string, string>> = {
  Namespace: 'v1',
  ConfigMap: 'v1',
  Service: 'v1',
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  ServiceAccount: 'v1',
  Role: 'rbac.authorization.k8s.io/v1',
  RoleBinding: 'rbac.authorization.k8s.io/v1',
};
const DNS_1123 = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

interface Probe {
  grpc?: { port: number; service?: string };
  httpGet?: { path: string; port: number | string };
  tcpSocket?: { port: number | string };
  exec?: { command: string[] };
}
interface Container {
  name?: string;
  image?: string;
  ports?: { containerPort: number; name?: string }[];
  env?: { name?: string; value?: string; valueFrom?: unknown }[];
  envFrom?: { configMapRef?: { name: string } }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
}
interface PodTemplate {
  metadata?: { labels?: Record<string, string> };
  spec?: {
    containers?: Container[];
    nodeSelector?: Record<string, string>;
    serviceAccountName?: string;
    volumes?: { name: string; configMap?: { name: string } }[];
    topologySpreadConstraints?: { maxSkew: number; topologyKey: string; whenUnsatisfiable: string; labelSelector?: { matchLabels?: Record<string, string> } }[];
  };
}
interface WorkloadSpec {
  replicas?: number;
  selector?: { matchLabels?: Record<string, string> };
  template?: PodTemplate;
  serviceName?: string;
}

const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

/** Every problem found, each prefixed with `Kind/name`. */
export function k8sProblems(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  const configMaps = new Set(objects.filter((o) => o.kind === 'ConfigMap').map((o) => o.metadata.name));
  const services = new Set(objects.filter((o) => o.kind === 'Service').map((o) => o.metadata.name));
  const accounts = new Set(objects.filter((o) => o.kind === 'ServiceAccount').map((o) => o.metadata.name));
  const roles = new Set(objects.filter((o) => o.kind === 'Role').map((o) => o.metadata.name));
  const templates: PodTemplate[] = [];
  const seen = new Set<string>();
  for (const object of objects) {
    const at = `${object.kind}/${object.metadata?.name}`;
    const expected = API_VERSIONS[object.kind];
    if (!expected) {
      problems.push(`${at}: kind not covered by these checks`);
      continue;
    }
    if (object.apiVersion !== expected) problems.push(`${at}: apiVersion must be ${expected}, got ${object.apiVersion}`);
    if (!object.metadata?.name || !DNS_1123.test(object.metadata.name)) problems.push(`${at}: metadata.name must be a DNS-1123 label`);
    if (seen.has(at)) problems.push(`${at}: defined twice`);
    seen.add(at);
    if (object.kind === 'Deployment' || object.kind === 'StatefulSet') {
      const spec = object.spec as WorkloadSpec | undefined;
      const selector = spec?.selector?.matchLabels;
      const template = spec?.template;
      if (!selector || Object.keys(selector).length === 0) problems.push(`${at}: spec.selector.matchLabels is required`);
      else if (!matches(selector, template?.metadata?.labels)) problems.push(`${at}: spec.selector does not match spec.template.metadata.labels`);
      if (object.kind === 'StatefulSet' && (!spec?.serviceName || !services.has(spec.serviceName))) problems.push(`${at}: spec.serviceName must name a Service`);
      const containers = template?.spec?.containers ?? [];
      if (containers.length === 0) problems.push(`${at}: spec.template.spec.containers must not be empty`);
      for (const [i, c] of containers.entries()) {
        const cat = `${at}: containers[${i}]`;
        if (!c.name || !DNS_1123.test(c.name)) problems.push(`${cat}.name is required (DNS-1123)`);
        if (!c.image) problems.push(`${cat}.image is required`);
        for (const ref of c.envFrom ?? []) if (ref.configMapRef && !configMaps.has(ref.configMapRef.name)) problems.push(`${cat}.envFrom: no ConfigMap ${ref.configMapRef.name}`);
        for (const e of c.env ?? []) if (!e.name || (e.value === undefined && e.valueFrom === undefined)) problems.push(`${cat}.env: ${e.name ?? '?'} needs a name and value or valueFrom`);
        for (const kind of ['readinessProbe', 'livenessProbe'] as const) {
          const probe = c[kind];
          if (!probe) continue;
          const handlers = (['grpc', 'httpGet', 'tcpSocket', 'exec'] as const).filter((h) => probe[h] !== undefined);
          if (handlers.length !== 1) problems.push(`${cat}.${kind}: exactly one handler required, got ${handlers.join(', ') || 'none'}`);
          const port = probe.grpc?.port ?? probe.httpGet?.port;
          if (typeof port === 'number' && !(c.ports ?? []).some((p) => p.containerPort === port)) problems.push(`${cat}.${kind}: port ${port} is not a container port`);
        }
        // Sidecars (the kubectl proxy of registry-sync) serve the main container, which carries the probe.
        if (i === 0 && !c.readinessProbe) problems.push(`${cat}: readinessProbe is required in the mesh`);
      }
      const account = template?.spec?.serviceAccountName;
      if (account && !accounts.has(account)) problems.push(`${at}: serviceAccountName ${account} names no ServiceAccount`);
      for (const v of template?.spec?.volumes ?? []) if (v.configMap && !configMaps.has(v.configMap.name)) problems.push(`${at}: volume ${v.name}: no ConfigMap ${v.configMap.name}`);
      for (const [i, t] of (template?.spec?.topologySpreadConstraints ?? []).entries()) {
        if (!(t.maxSkew >= 1) || !t.topologyKey || !['DoNotSchedule', 'ScheduleAnyway'].includes(t.whenUnsatisfiable)) {
          problems.push(`${at}: topologySpreadConstraints[${i}] needs maxSkew >= 1, topologyKey and whenUnsatisfiable`);
        }
      }
      if (template) templates.push(template);
    }
    if (object.kind === 'RoleBinding') {
      const binding = object as unknown as { roleRef?: { kind?: string; name?: string }; subjects?: { kind?: string; name?: string }[] };
      if (binding.roleRef?.kind !== 'Role' || !roles.has(binding.roleRef.name ?? '')) problems.push(`${at}: roleRef must name a Role of these manifests`);
      for (const subject of binding.subjects ?? []) if (subject.kind === 'ServiceAccount' && !accounts.has(subject.name ?? '')) problems.push(`${at}: subject ServiceAccount ${subject.name} does not exist`);
      if (!binding.subjects?.length) problems.push(`${at}: subjects must not be empty`);
    }
    if (object.kind === 'Role' && !(object as unknown as { rules?: unknown[] }).rules?.length) problems.push(`${at}: rules must not be empty`);
    if (object.kind === 'Service') {
      const spec = object.spec as { selector?: Record<string, string>; ports?: { port: number }[] } | undefined;
      if (!spec?.ports?.length) problems.push(`${at}: spec.ports must not be empty`);
    }
  }
  // Selectors checked last, once every pod template is known.
  for (const object of objects.filter((o) => o.kind === 'Service')) {
    const selector = (object.spec as { selector?: Record<string, string> }).selector ?? {};
    if (!templates.some((t) => matches(selector, t.metadata?.labels))) problems.push(`Service/${object.metadata.name}: selector matches no pod template`);
  }
  return problems;
}
