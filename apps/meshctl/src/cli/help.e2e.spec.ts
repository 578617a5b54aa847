import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appEntryPoint, WORKSPACE_ROOT } from '../workspace.js';
import { COMMANDS } from './command-table.js';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a compiled program in an empty directory with no ZONEMESH_* variables: whatever it writes or starts shows. */
function run(entry: string, args: readonly string[], cwd: string): Promise<Run> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('ZONEMESH_')));
  return new Promise((resolve) => {
    execFile(process.execPath, [entry, ...args], { cwd, env, timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

// Each run loads the whole CLI (about 2 s of CPU): generous bounds for a busy machine.
const RUN_TIMEOUT_MS = 150_000;
const CLI = join(WORKSPACE_ROOT, 'apps/meshctl/dist/main.js');
/** `zonemesh <command>` and `zonemesh <command> <subcommand>` for every entry of the command table. */
const INVOCATIONS = Object.entries(COMMANDS).flatMap(([name, command]) => [[name], ...Object.keys(command.subcommands ?? {}).map((sub) => [name, sub])]);
const APPS = ['catalog', 'pricing', 'inventory', 'gateway', 'reviews', 'registry', 'registry-sync'];

describe('every command answers --help with its usage, exit 0 and no side effect', () => {
  let cwd: string;
  beforeAll(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'zonemesh-help-'));
  });
  afterAll(() => rm(cwd, { recursive: true, force: true }));

  it.each(INVOCATIONS.map((words) => [words.join(' '), words]))('zonemesh %s --help', async (_label, words) => {
    const result = await run(CLI, [...words, '--help'], cwd);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain(`zonemesh ${words.join(' ')}`);
    expect(await readdir(cwd)).toEqual([]);
  }, RUN_TIMEOUT_MS);

  it.each(APPS)('node apps/%s/dist/main.js --help', async (app) => {
    // Without --help and without variables each of these would fail or start serving.
    const result = await run(appEntryPoint(app), ['--help'], cwd);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout.toLowerCase()).toContain('usage');
    expect(await readdir(cwd)).toEqual([]);
  }, RUN_TIMEOUT_MS);

  it('zonemesh --help lists every command; zonemesh --version prints the version', async () => {
    const help = await run(CLI, ['--help'], cwd);
    expect(help.code).toBe(0);
    for (const name of Object.keys(COMMANDS)) expect(help.stdout).toContain(`zonemesh ${name}`);
    const { version } = JSON.parse(await readFile(join(WORKSPACE_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(await run(CLI, ['--version'], cwd)).toMatchObject({ code: 0, stdout: `zonemesh ${version}\n` });
  }, 2 * RUN_TIMEOUT_MS);
});

describe('exit codes: 2 for a usage error, 1 for a failure', () => {
  it.each([
    [['frobnicate'], /unknown command "frobnicate"/],
    [['bench', 'nope'], /unknown benchmark "nope"/],
    [['bench', 'gateway', '--rounds', 'many'], /--rounds: expected a whole number/],
    [['bench', 'lb', '--bogus'], /bogus/],
    [['bench', 'registry', '--rounds', '3'], /bench registry: INSTANCES/],
    [['chaos'], /chaos: expected "run"/],
    [['toxiproxy', '--port', 'x'], /--port: expected a port number/],
    [['toxiproxy', '--max-connections', '0'], /--max-connections: expected a whole number >= 1/],
    [['toxiproxy', '--upstream-connect-timeout', '10'], /--upstream-connect-timeout: expected a duration/],
    [['status', '--gateway'], /--gateway/],
    [['soak', '--duration', '10s'], /--duration: at least 30s/],
    [['soak', '--rate', 'lots'], /--rate: expected requests per second/],
    [['config'], /config: expected "explain"/],
    [['config', 'explain'], /config explain: FILE is required/],
  ])('zonemesh %j exits 2 naming the problem', async (args, problem) => {
    const result = await run(CLI, args, tmpdir());
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(problem);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  }, RUN_TIMEOUT_MS);

  it('a failure of the work itself exits 1', async () => {
    // Port 9 on loopback: nothing listens (discard), the connection is refused at once.
    const result = await run(CLI, ['status', '--gateway', 'http://127.0.0.1:9'], tmpdir());
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot reach the gateway/);
  }, RUN_TIMEOUT_MS);

  it('zonemesh config explain: 0 for both shipped seed configurations, 1 naming file and path for bad input', async () => {
    for (const example of ['envoy-cluster.yaml', 'eurekube-zone-failover.yaml']) {
      const result = await run(CLI, ['config', 'explain', join(WORKSPACE_ROOT, 'libs/lb/examples', example)], tmpdir());
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toMatch(/^cluster \S+ \((envoy|spring):/);
    }
    const dir = await mkdtemp(join(tmpdir(), 'zonemesh-explain-'));
    try {
      const bad = join(dir, 'envoy.yaml');
      await writeFile(bad, 'clusters:\n  - name: a\n    lb_policy: MAGLEV\n    load_assignment: { endpoints: [] }\n');
      const result = await run(CLI, ['config', 'explain', bad], tmpdir());
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`zonemesh: bad configuration: ${bad}:3: clusters[0].lb_policy: expected one of ROUND_ROBIN, LEAST_REQUEST, RANDOM (zonemesh implements these Envoy policies), got "MAGLEV"\n`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 3 * RUN_TIMEOUT_MS);
});
