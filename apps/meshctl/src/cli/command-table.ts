import { benchCommand, BENCH_USAGE, BENCH_USAGES } from '../commands/bench.command.js';
import { chaosCommand, CHAOS_USAGE } from '../commands/chaos.command.js';
import { configCommand, CONFIG_USAGE } from '../commands/config.command.js';
import { consoleCommand, CONSOLE_USAGE } from '../commands/console.command.js';
import { dashboardsCommand, DASHBOARDS_USAGE } from '../commands/dashboards.command.js';
import { soakCommand, SOAK_USAGE } from '../commands/soak.command.js';
import { registryCommand, REGISTRY_USAGE } from '../commands/registry.command.js';
import { statusCommand, STATUS_USAGE } from '../commands/status.command.js';
import { syncCommand, SYNC_USAGE } from '../commands/sync.command.js';
import { toxiproxyCommand, TOXIPROXY_USAGE } from '../commands/toxiproxy.command.js';
import { upCommand, UP_USAGE } from '../commands/up.command.js';

export type Command = (argv: string[]) => Promise<number>;

/** Every command, with its usage and its subcommands' (what `--help` prints, before anything runs). */
export const COMMANDS: Record<string, { run: Command; usage: string; subcommands?: Record<string, string> }> = {
  up: { run: upCommand, usage: UP_USAGE },
  status: { run: statusCommand, usage: STATUS_USAGE },
  registry: { run: registryCommand, usage: REGISTRY_USAGE },
  sync: { run: syncCommand, usage: SYNC_USAGE },
  toxiproxy: { run: toxiproxyCommand, usage: TOXIPROXY_USAGE },
  chaos: { run: chaosCommand, usage: CHAOS_USAGE, subcommands: { run: CHAOS_USAGE } },
  soak: { run: soakCommand, usage: SOAK_USAGE },
  bench: { run: benchCommand, usage: BENCH_USAGE, subcommands: BENCH_USAGES },
  config: { run: configCommand, usage: CONFIG_USAGE, subcommands: { explain: CONFIG_USAGE } },
  console: { run: consoleCommand, usage: CONSOLE_USAGE },
  dashboards: { run: dashboardsCommand, usage: DASHBOARDS_USAGE, subcommands: { render: DASHBOARDS_USAGE, check: DASHBOARDS_USAGE } },
};

