import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, parse } from 'yaml';

/** Any Kubernetes object, before its kind is checked. */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  readonly [field: string]: unknown;
}

/** The subset of kustomization.yaml we support; anything else is refused, not ignored. */
interface Kustomization {
  readonly apiVersion: 'kustomize.config.k8s.io/v1beta1';
  readonly kind: 'Kustomization';
  readonly namespace?: string;
  readonly labels?: readonly { readonly pairs: Record<string, string>; readonly includeSelectors?: boolean }[];
  readonly resources: readonly string[];
}

const SUPPORTED = new Set(['apiVersion', 'kind', 'namespace', 'labels', 'resources']);
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume', 'StorageClass']);

/**
 * A minimal `kustomize build`: resources (files or nested kustomization
 * dirs) in order, `namespace` set on namespaced objects, and `labels` pairs
 * added to metadata.labels (includeSelectors: false only, so selectors and
 * pod templates stay as written). Throws on any other field.
 */
export function kustomizeBuild(dir: string): K8sObject[] {
  const k = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as Kustomization;
  const unknown = Object.keys(k).filter((key) => !SUPPORTED.has(key));
  if (unknown.length > 0) throw new Error(`${join(dir, 'kustomization.yaml')}: unsupported fields ${unknown.join(', ')}`);
  if (k.kind !== 'Kustomization') throw new Error(`${dir}: kind must be Kustomization`);
  const objects: K8sObject[] = [];
  for (const resource of k.resources) {
    const path = join(dir, resource);
    if (!/\.ya?ml$/.test(resource)) {
      objects.push(...kustomizeBuild(path));
      continue;
    }
    for (const doc of parseAllDocuments(readFileSync(path, 'utf8'))) {
      if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors[0]!.message}`);
      const object = doc.toJS() as K8sObject | null;
      if (object) objects.push(structuredClone(object));
    }
  }
  for (const object of objects) {
    if (k.namespace && !CLUSTER_SCOPED.has(object.kind)) object.metadata.namespace = k.namespace;
    for (const { pairs, includeSelectors } of k.labels ?? []) {
      if (includeSelectors) throw new Error(`${dir}: labels.includeSelectors: true is not supported`);
      object.metadata.labels = { ...object.metadata.labels, ...pairs };
    }
  }
  return objects;
}
