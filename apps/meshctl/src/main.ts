import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@zonemesh/config';
import { asksForHelp } from '@zonemesh/runtime';
import { COMMANDS } from './cli/command-table.js';
import { UsageError } from './cli/usage-error.js';
import { MeshError } from './mesh/mesh-error.js';
import { WORKSPACE_ROOT } from './workspace.js';

const OPTIONS = `Options:
  -h, --help      usage of zonemesh or of a command (zonemesh <command> [<subcommand>] --help); runs nothing
  -V, --version   the version
Exit codes: 0 success, 1 failure, 2 usage error.`;

function usage(): string {
  return ['zonemesh — zone-aware load-balancing mesh and chaos testbed', '', ...Object.values(COMMANDS).map((c) => c.usage), '', OPTIONS].join('\n');
}

function version(): string {
  return (JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V' || name === 'version') {
    console.log(`zonemesh ${version()}`);
    return 0;
  }
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    if (name) console.log(usage());
    else console.error(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`unknown command "${name}"; expected one of ${Object.keys(COMMANDS).join(', ')}`);
  if (asksForHelp(rest)) {
    const sub = rest[0] === undefined ? undefined : command.subcommands?.[rest[0]];
    console.log(sub ?? command.usage);
    return 0;
  }
  return command.run(rest);
}

// Known failures are one line naming the problem; only bugs print a stack.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      const command = process.argv[2] !== undefined && process.argv[2] in COMMANDS ? `${process.argv[2]} ` : '';
      console.error(`zonemesh: ${(error as Error).message}\n(see \`zonemesh ${command}--help\`)`);
      process.exit(2);
    }
    if (error instanceof ConfigError) console.error(`zonemesh: bad configuration: ${error.message}`);
    else if (error instanceof MeshError) console.error(`zonemesh: ${error.message}`);
    else console.error(error);
    process.exit(1);
  },
);
