import { ConfigError } from '@zonemesh/config';
import { benchCommand, BENCH_USAGE } from './commands/bench.command.js';
import { chaosCommand, CHAOS_USAGE } from './commands/chaos.command.js';
import { consoleCommand, CONSOLE_USAGE } from './commands/console.command.js';
import { dashboardsCommand, DASHBOARDS_USAGE } from './commands/dashboards.command.js';
import { registryCommand, REGISTRY_USAGE } from './commands/registry.command.js';
import { statusCommand, STATUS_USAGE } from './commands/status.command.js';
import { syncCommand, SYNC_USAGE } from './commands/sync.command.js';
import { toxiproxyCommand, TOXIPROXY_USAGE } from './commands/toxiproxy.command.js';
import { upCommand, UP_USAGE } from './commands/up.command.js';
import { MeshError } from './mesh/mesh-error.js';

type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, { run: Command; usage: string }> = {
  up: { run: upCommand, usage: UP_USAGE },
  status: { run: statusCommand, usage: STATUS_USAGE },
  registry: { run: registryCommand, usage: REGISTRY_USAGE },
  sync: { run: syncCommand, usage: SYNC_USAGE },
  toxiproxy: { run: toxiproxyCommand, usage: TOXIPROXY_USAGE },
  chaos: { run: chaosCommand, usage: CHAOS_USAGE },
  bench: { run: benchCommand, usage: BENCH_USAGE },
  dashboards: { run: dashboardsCommand, usage: DASHBOARDS_USAGE },
  console: { run: consoleCommand, usage: CONSOLE_USAGE },
};

function usage(): string {
  return ['zonemesh — zone-aware load-balancing mesh and chaos testbed', '', ...Object.values(COMMANDS).map((c) => c.usage)].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`zonemesh: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return command.run(rest);
}

// Known failures are one line naming the problem; only bugs print a stack.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) console.error(`zonemesh: bad configuration: ${error.message}`);
    else if (error instanceof MeshError) console.error(`zonemesh: ${error.message}`);
    else if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) console.error(`zonemesh: ${(error as Error).message}`);
    else console.error(error);
    process.exit(1);
  },
);
