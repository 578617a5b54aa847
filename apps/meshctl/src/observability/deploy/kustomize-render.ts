import { execFileSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';

/** Any Kubernetes object, before its kind is checked. */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  readonly [field: string]: unknown;
}

/** Why the manifests cannot be rendered here (no kubectl), or undefined. */
export function kubectlMissing(kubectl = process.env.ZONEMESH_KUBECTL ?? 'kubectl'): string | undefined {
  try {
    execFileSync(kubectl, ['version', '--client'], { stdio: 'ignore', timeout: 20_000 });
    return undefined;
  } catch (error) {
    return `no working ${kubectl} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message.split('\n')[0]}); Debian's kubectl package has it`;
  }
}

/**
 * `kubectl kustomize <dir>` (the kustomize built into kubectl: components,
 * replacements, name suffixes and patches as a user's `kubectl apply -k`
 * sees them), parsed into objects. Throws with kustomize's own message.
 */
export function kustomizeBuild(dir: string, kubectl = process.env.ZONEMESH_KUBECTL ?? 'kubectl'): K8sObject[] {
  let rendered: string;
  try {
    rendered = execFileSync(kubectl, ['kustomize', dir], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    throw new Error(`kubectl kustomize ${dir}: ${String((error as { stderr?: string }).stderr ?? (error as Error).message).trim()}`);
  }
  return parseAllDocuments(rendered)
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

/**
 * The ConfigMap the README's step makes from the repository's mesh.yaml
 * (`kubectl -n zonemesh create configmap zonemesh-mesh --from-file=mesh.yaml`),
 * rendered without a cluster: kustomize may not read a file above infra/k8s.
 */
export function meshConfigMap(root: string, kubectl = process.env.ZONEMESH_KUBECTL ?? 'kubectl'): K8sObject {
  const rendered = execFileSync(kubectl, ['-n', 'zonemesh', 'create', 'configmap', 'zonemesh-mesh', '--from-file=mesh.yaml', '--dry-run=client', '-o', 'yaml'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return parseAllDocuments(rendered)[0]!.toJS() as K8sObject;
}
