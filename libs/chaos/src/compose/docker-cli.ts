import { execFile } from 'node:child_process';

/** Thrown when the docker CLI is missing, no engine answers, or a command fails: one line naming what. */
export class DockerError extends Error {}

/** The parts of `docker inspect` a compose target reads. */
export interface ContainerInfo {
  readonly Id: string;
  readonly Name: string;
  readonly Config: { readonly Labels: Readonly<Record<string, string>> | null; readonly Env: readonly string[] | null };
  readonly State: { readonly Running: boolean; readonly Status: string; readonly Health?: { readonly Status: string } };
  readonly NetworkSettings: { readonly Ports: Readonly<Record<string, readonly { HostIp: string; HostPort: string }[] | null>> | null };
}

/** Runs the docker CLI (no shell); resolves with stdout, rejects with a DockerError carrying its stderr. */
export function docker(args: readonly string[], timeoutMs = 30_000, binary = process.env.ZONEMESH_DOCKER ?? 'docker'): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(binary, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? `no "${binary}" CLI on PATH` : (stderr.trim().split('\n').pop() ?? error.message);
      reject(new DockerError(`docker ${args[0]}: ${why}`));
    });
  });
}

/** Every container (running or not) of a compose project, inspected. */
export async function projectContainers(project: string): Promise<ContainerInfo[]> {
  const ids = (await docker(['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`])).split('\n').filter(Boolean);
  if (ids.length === 0) return [];
  return JSON.parse(await docker(['inspect', ...ids])) as ContainerInfo[];
}

export const serviceOf = (c: ContainerInfo): string => c.Config.Labels?.['com.docker.compose.service'] ?? c.Name.replace(/^\//, '');

export function envOf(c: ContainerInfo, name: string): string | undefined {
  const entry = (c.Config.Env ?? []).find((e) => e.startsWith(`${name}=`));
  return entry?.slice(name.length + 1);
}

/** `http://127.0.0.1:<host port>` of a container port published on the host, or undefined. */
export function publishedUrl(c: ContainerInfo, containerPort: number): string | undefined {
  const bindings = c.NetworkSettings.Ports?.[`${containerPort}/tcp`] ?? [];
  const binding = bindings.find((b) => b.HostIp === '127.0.0.1' || b.HostIp === '::1') ?? bindings[0];
  if (!binding) return undefined;
  // A binding on every interface is still reached on loopback: traffic stays on this machine.
  const host = binding.HostIp === '::1' ? '[::1]' : '127.0.0.1';
  return `http://${host}:${binding.HostPort}`;
}
