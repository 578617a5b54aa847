import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '@zonemesh/config';
import { parse } from 'yaml';
import { startSyncAdminServer, type SyncAdminServer } from './admin/sync-admin.server.js';
import { syncStatus } from './admin/sync-status.js';
import { startSync, type RunningSync } from './sync-app.js';
import { parseSyncConfig } from './sync-config.js';
import { jsonLineLog } from './sync-log.js';
import { type HttpServerLimits, httpServerLimits } from '@zonemesh/runtime/http-server-limits';

export const SYNC_USAGE =
  'usage: zonemesh sync [--config sync.yaml] [--id <syncer id>] [--zone <zone>] [--server <zone>=<url>]... [--static <instances.yaml>] [--admin [host:]port]\n' +
  '  Registers the instances of a source (static file, DNS, Kubernetes EndpointSlices) in Eureka, heartbeats them,\n' +
  '  and removes them when they disappear. Flags override the file.';

export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

export type SyncCliResult = { readonly sync: RunningSync } | { readonly exitCode: number };

/**
 * Parses flags and the config file into one document, validates it once
 * (exit 2 with one path-qualified line on error), starts syncing and prints
 * `{"event":"started",...}`.
 */
export async function runSyncCli(argv: readonly string[], cwd: string, io: CliOutput): Promise<SyncCliResult> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(SYNC_USAGE);
    return { exitCode: 0 };
  }
  let config;
  try {
    const { document, baseDir } = await readDocument(argv, cwd);
    config = parseSyncConfig(document, baseDir);
  } catch (error) {
    if (!(error instanceof ConfigError) && !(error instanceof UsageError)) throw error;
    io.err(`sync: ${error.message}`);
    return { exitCode: 2 };
  }
  let adminLimits: HttpServerLimits;
  try {
    adminLimits = httpServerLimits(process.env);
  } catch (error) {
    // The message names the variable (ZONEMESH_HTTP_IDLE_TIMEOUT, ZONEMESH_HTTP_MAX_CONNECTIONS).
    io.err(`sync: ${(error as Error).message}`);
    return { exitCode: 2 };
  }
  const sync = startSync(config, { log: jsonLineLog(io.out) });
  let admin: SyncAdminServer | undefined;
  if (config.admin) {
    try {
      admin = await startSyncAdminServer(config.admin.host, config.admin.port, () =>
        syncStatus(config.id, sync.syncer.state(), sync.registries.snapshot()),
        adminLimits,
      );
    } catch (error) {
      await sync.stop();
      io.err(`sync: admin: cannot listen on ${config.admin.host}:${config.admin.port} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      return { exitCode: 2 };
    }
  }
  io.out(
    JSON.stringify({
      event: 'started',
      id: config.id,
      zone: config.zone,
      registries: config.eureka.servers.map((s) => s.url),
      source: config.source.type,
      ...(admin ? { admin: admin.url } : {}),
    }),
  );
  if (!admin) return { sync };
  const adminServer = admin;
  return {
    sync: {
      ...sync,
      async stop() {
        await adminServer.close();
        await sync.stop();
      },
    },
  };
}

class UsageError extends Error {}

async function readDocument(argv: readonly string[], cwd: string): Promise<{ document: Record<string, unknown>; baseDir: string }> {
  const flags = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i += 1) {
    const match = /^--(config|id|zone|server|static|admin)(?:=(.*))?$/.exec(argv[i]!);
    if (!match) throw new UsageError(`unknown argument "${argv[i]}" (expected --config, --id, --zone, --server, --static or --admin)`);
    const value = match[2] ?? argv[++i];
    if (value === undefined || value === '') throw new UsageError(`--${match[1]}: missing value`);
    flags.set(match[1]!, [...(flags.get(match[1]!) ?? []), value]);
  }
  let document: Record<string, unknown> = {};
  let baseDir = cwd;
  const configPath = flags.get('config')?.at(-1);
  if (configPath !== undefined) {
    const file = resolve(cwd, configPath);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new UsageError(`--config: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    let parsed: unknown;
    try {
      parsed = parse(text);
    } catch (error) {
      throw new UsageError(`${file}: not valid YAML (${(error as Error).message.split('\n')[0]})`);
    }
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) document = parsed as Record<string, unknown>;
    else throw new ConfigError('', `${file}: expected a map at the top level`);
    baseDir = dirname(file);
  }
  const last = (name: string): string | undefined => flags.get(name)?.at(-1);
  if (last('id') !== undefined) document.id = last('id');
  if (last('zone') !== undefined) document.zone = last('zone');
  const servers = flags.get('server');
  if (servers) {
    const eureka = (typeof document.eureka === 'object' && document.eureka !== null ? document.eureka : {}) as Record<string, unknown>;
    document.eureka = {
      ...eureka,
      servers: servers.map((s) => {
        const eq = s.indexOf('=');
        if (eq <= 0) throw new UsageError(`--server: expected <zone>=<url>, got "${s}"`);
        return { zone: s.slice(0, eq), url: s.slice(eq + 1) };
      }),
    };
  }
  if (last('static') !== undefined) document.source = { type: 'static', path: resolve(cwd, last('static')!) };
  const admin = last('admin');
  if (admin !== undefined) {
    const m = /^(?:(.+):)?(\d+)$/.exec(admin);
    if (!m) throw new UsageError(`--admin: expected [host:]port, got "${admin}"`);
    document.admin = { ...(m[1] ? { host: m[1].replace(/^\[|\]$/g, '') } : {}), port: Number(m[2]) };
  }
  return { document, baseDir };
}
