import { ConfigError, readYamlFile, childPath, optional, readArray, readBoolean, readDuration, readEnum, readInteger, readNumber, readObject, readString } from '@zonemesh/config';
import {
  ASSERTION_KINDS,
  FAULT_TYPES,
  type Assertion,
  type Fault,
  type LoadSpec,
  type RequestShape,
  type Scenario,
  type ShareCondition,
  type StatusFilter,
  type SteadyState,
  type Step,
  type TargetSelector,
  type Window,
} from './scenario.js';

const NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const NAME_HINT = 'expected a lower-case name like "zone-a-down"';

/** Reads and validates a scenario file; every problem names its file and path. */
export async function loadScenario(path: string): Promise<Scenario> {
  const document = await readYamlFile(path);
  try {
    return parseScenario(document);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(error.path, `${error.problem} (in ${path})`);
    throw error;
  }
}

function strings(value: unknown, path: string, pattern?: RegExp): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw new ConfigError(path, 'expected at least one value');
  return list.map((v, i) => readString(v, Array.isArray(value) ? childPath(path, i) : path, pattern));
}

function readFraction(value: unknown, path: string): number {
  return readNumber(value, path, 0, 1);
}

export function parseTargets(value: unknown, path: string): TargetSelector {
  const node = readObject(value, path, ['zone', 'service', 'instance', 'port']);
  const selector: TargetSelector = {
    ...(node.port !== undefined ? { port: readEnum(node.port, childPath(path, 'port'), ['traffic', 'health', 'any'] as const) } : {}),
    ...(node.zone !== undefined ? { zone: strings(node.zone, childPath(path, 'zone')) } : {}),
    ...(node.service !== undefined ? { service: strings(node.service, childPath(path, 'service')) } : {}),
    ...(node.instance !== undefined ? { instance: strings(node.instance, childPath(path, 'instance')) } : {}),
  };
  if (!selector.zone && !selector.service && !selector.instance) {
    throw new ConfigError(path, 'select at least one of zone, service, instance');
  }
  return selector;
}

function parseShare(node: Record<string, unknown>, path: string): ShareCondition {
  const condition: ShareCondition = {
    zone: readString(node.zone, childPath(path, 'zone')),
    ...(node.service !== undefined ? { service: readString(node.service, childPath(path, 'service')) } : {}),
    ...(node.min !== undefined ? { min: readFraction(node.min, childPath(path, 'min')) } : {}),
    ...(node.max !== undefined ? { max: readFraction(node.max, childPath(path, 'max')) } : {}),
    ...(node.except_status !== undefined ? { exceptStatus: parseStatusFilter({ except_status: node.except_status }, path)!.except! } : {}),
  };
  if (condition.min === undefined && condition.max === undefined) throw new ConfigError(path, 'expected min or max');
  return condition;
}

function parseSteadyState(value: unknown, path: string): SteadyState {
  const node = readObject(value, path, ['window', 'error_rate', 'p99', 'share']);
  const steady: SteadyState = {
    windowMs: readDuration(node.window, childPath(path, 'window')),
    ...(node.error_rate !== undefined ? { maxErrorRate: readFraction(node.error_rate, childPath(path, 'error_rate')) } : {}),
    ...(node.p99 !== undefined ? { maxP99Ms: readDuration(node.p99, childPath(path, 'p99')) } : {}),
    ...(node.share !== undefined
      ? { share: parseShare(readObject(node.share, childPath(path, 'share'), ['service', 'zone', 'min', 'max', 'except_status']), childPath(path, 'share')) }
      : {}),
  };
  return steady;
}

function parseLoad(value: unknown, path: string): LoadSpec {
  const node = readObject(value, path, ['rate', 'callers', 'duration', 'warmup', 'timeout', 'connections', 'mix', 'v2_share']);
  if (node.callers !== undefined && node.rate !== undefined) throw new ConfigError(childPath(path, 'callers'), 'give either rate (open loop) or callers (closed loop), not both');
  const callers = optional(node.callers, undefined, (v) => readInteger(v, childPath(path, 'callers'), 1, 512));
  const rate = callers === undefined ? readNumber(node.rate, childPath(path, 'rate'), 1, 2000) : 0;
  const durationMs = readDuration(node.duration, childPath(path, 'duration'));
  if (durationMs < 1000 || durationMs > 600_000) throw new ConfigError(childPath(path, 'duration'), 'must be between 1s and 10m');
  let mix: RequestShape[] = optional(node.mix, [{ path: '/api/products/{id}', headers: {}, weight: 1 }], (v) =>
    readArray(v, childPath(path, 'mix')).map((entry, i) => {
      const p = childPath(childPath(path, 'mix'), i);
      const e = readObject(entry, p, ['path', 'headers', 'weight']);
      const headersNode = optional(e.headers, {}, (h) => readObject(h, childPath(p, 'headers'), Object.keys(h as object)));
      const headers: Record<string, string> = {};
      for (const [k, h] of Object.entries(headersNode)) headers[k.toLowerCase()] = readString(h, childPath(childPath(p, 'headers'), k));
      return {
        path: readString(e.path, childPath(p, 'path'), /^\//, 'expected a path starting with "/"'),
        headers,
        weight: optional(e.weight, 1, (w) => readNumber(w, childPath(p, 'weight'), 0)),
      };
    }),
  );
  if (node.v2_share !== undefined) {
    if (node.mix !== undefined) throw new ConfigError(childPath(path, 'v2_share'), 'give either mix or v2_share, not both');
    const share = readFraction(node.v2_share, childPath(path, 'v2_share'));
    const v2Mix: RequestShape[] = [
      { path: '/api/products/{id}', headers: {}, weight: 1 - share },
      { path: '/api/products/{id}', headers: { 'x-api-version': 'v2' }, weight: share },
    ];
    mix = v2Mix.filter((m) => m.weight > 0);
  }
  if (mix.length === 0 || mix.every((m) => m.weight === 0)) throw new ConfigError(childPath(path, 'mix'), 'needs a request with a weight above 0');
  return {
    rate,
    ...(callers !== undefined ? { callers } : {}),
    durationMs,
    warmupMs: optional(node.warmup, 0, (v) => {
      const ms = readDuration(v, childPath(path, 'warmup'));
      if (ms > 120_000) throw new ConfigError(childPath(path, 'warmup'), 'must be at most 2m');
      return ms;
    }),
    timeoutMs: optional(node.timeout, 2000, (v) => readDuration(v, childPath(path, 'timeout'))),
    connections: optional(node.connections, 32, (v) => readInteger(v, childPath(path, 'connections'), 1, 512)),
    mix,
  };
}

const FAULT_KEYS: Record<(typeof FAULT_TYPES)[number], string[]> = {
  down: [],
  latency: ['latency', 'jitter'],
  timeout: ['timeout'],
  reset_peer: ['timeout'],
  bandwidth: ['rate'],
  limit_data: ['bytes'],
  kill: ['signal', 'restart'],
};
const TOXIC_COMMON = ['stream', 'toxicity'];

function parseFault(value: unknown, path: string): Fault {
  const raw = readObject(value, path, ['type', 'targets', ...new Set(Object.values(FAULT_KEYS).flat()), ...TOXIC_COMMON]);
  const type = readEnum(raw.type, childPath(path, 'type'), FAULT_TYPES);
  const allowed = ['type', 'targets', ...FAULT_KEYS[type], ...(type === 'down' || type === 'kill' ? [] : TOXIC_COMMON)];
  const node = readObject(value, path, allowed);
  const targets = parseTargets(node.targets, childPath(path, 'targets'));
  const at = (key: string) => childPath(path, key);
  if (type === 'down') return { type, targets };
  if (type === 'kill') {
    return {
      type,
      targets,
      signal: optional(node.signal, 'SIGKILL' as const, (v) => readEnum(v, at('signal'), ['SIGKILL', 'SIGTERM'] as const)),
      restart: optional(node.restart, true, (v) => readBoolean(v, at('restart'))),
    };
  }
  let attributes: Record<string, number>;
  switch (type) {
    case 'latency':
      attributes = {
        latency: readDuration(node.latency, at('latency')),
        jitter: optional(node.jitter, 0, (v) => readDuration(v, at('jitter'))),
      };
      break;
    case 'timeout':
    case 'reset_peer':
      attributes = { timeout: optional(node.timeout, 0, (v) => readDuration(v, at('timeout'))) };
      break;
    case 'bandwidth':
      attributes = { rate: readInteger(node.rate, at('rate'), 0) };
      break;
    case 'limit_data':
      attributes = { bytes: readInteger(node.bytes, at('bytes'), 0) };
      break;
  }
  return {
    type,
    targets,
    stream: optional(node.stream, 'downstream' as const, (v) => readEnum(v, at('stream'), ['upstream', 'downstream'] as const)),
    toxicity: optional(node.toxicity, 1, (v) => readFraction(v, at('toxicity'))),
    attributes,
  };
}

function parseWindow(node: Record<string, unknown>, path: string, steps: ReadonlySet<string>): Window {
  if (node.during !== undefined && node.after !== undefined) throw new ConfigError(path, 'give either during or after, not both');
  const stepRef = (key: 'during' | 'after') => {
    const name = readString(node[key], childPath(path, key));
    if (!steps.has(name)) throw new ConfigError(childPath(path, key), `no step named "${name}" (steps: ${[...steps].join(', ') || 'none'})`);
    return name;
  };
  return {
    ...(node.during !== undefined ? { during: stepRef('during') } : {}),
    ...(node.after !== undefined ? { after: stepRef('after') } : {}),
    skipMs: optional(node.skip, 0, (v) => readDuration(v, childPath(path, 'skip'))),
  };
}

function parseAssertion(value: unknown, path: string, steps: ReadonlySet<string>): Assertion {
  const outer = readObject(value, path, ASSERTION_KINDS);
  const kinds = Object.keys(outer);
  if (kinds.length !== 1) throw new ConfigError(path, `expected exactly one of ${ASSERTION_KINDS.join(', ')}`);
  const kind = kinds[0] as Assertion['kind'];
  const p = childPath(path, kind);
  const stepRef = (node: Record<string, unknown>, required: boolean): string | undefined => {
    if (node.step === undefined) {
      if (required) throw new ConfigError(childPath(p, 'step'), 'missing (the step the time is measured from)');
      return undefined;
    }
    const name = readString(node.step, childPath(p, 'step'));
    if (!steps.has(name)) throw new ConfigError(childPath(p, 'step'), `no step named "${name}" (steps: ${[...steps].join(', ') || 'none'})`);
    return name;
  };
  const from = (node: Record<string, unknown>, fallback: 'start' | 'end') =>
    optional(node.from, fallback, (v) => readEnum(v, childPath(p, 'from'), ['start', 'end'] as const));
  const holdMs = (node: Record<string, unknown>) =>
    node.hold !== undefined ? { holdMs: readDuration(node.hold, childPath(p, 'hold')) } : {};
  const label = (node: Record<string, unknown>, fallback: string) => optional(node.name, fallback, (v) => readString(v, childPath(p, 'name')));

  switch (kind) {
    case 'ejected': {
      const node = readObject(outer[kind], p, ['name', 'target', 'step', 'within']);
      const step = stepRef(node, true)!;
      return {
        kind,
        name: label(node, `ejected after ${step}`),
        target: parseTargets(node.target, childPath(p, 'target')),
        step,
        withinMs: readDuration(node.within, childPath(p, 'within')),
      };
    }
    case 'share':
    case 'failback': {
      const node = readObject(outer[kind], p, ['name', 'service', 'zone', 'min', 'max', 'except_status', 'step', 'from', 'within', 'hold']);
      const condition = parseShare(node, p);
      const step = stepRef(node, true)!;
      const withinMs = readDuration(node.within, childPath(p, 'within'));
      const name = label(node, `${kind} ${condition.service ?? 'all'}@${condition.zone} ${condition.min !== undefined ? `>= ${condition.min}` : `<= ${condition.max}`}`);
      if (kind === 'failback') {
        if (node.from !== undefined) throw new ConfigError(childPath(p, 'from'), 'failback is always measured from the end of the step');
        return { kind, name, condition, step, withinMs, ...holdMs(node) };
      }
      return { kind, name, condition, step, from: from(node, 'start'), withinMs, ...holdMs(node) };
    }
    case 'mean_share': {
      const node = readObject(outer[kind], p, ['name', 'service', 'zone', 'min', 'max', 'except_status', 'during', 'after', 'skip']);
      const condition = parseShare(node, p);
      const window = parseWindow(node, p, steps);
      const bound = condition.min !== undefined ? `>= ${condition.min}` : `<= ${condition.max}`;
      return { kind, name: label(node, windowLabel(`share ${condition.service ?? 'all'}@${condition.zone} ${bound}`, window)), condition, window };
    }
    case 'error_rate': {
      const node = readObject(outer[kind], p, ['name', 'max', 'during', 'after', 'skip', 'status', 'except_status']);
      const window = parseWindow(node, p, steps);
      const statuses = parseStatusFilter(node, p);
      return { kind, name: label(node, windowLabel('error rate', window)), max: readFraction(node.max, childPath(p, 'max')), window, ...(statuses ? { statuses } : {}) };
    }
    case 'p99': {
      const node = readObject(outer[kind], p, ['name', 'max', 'during', 'after', 'skip', 'status', 'except_status']);
      const window = parseWindow(node, p, steps);
      const statuses = parseStatusFilter(node, p);
      return { kind, name: label(node, windowLabel('p99', window)), maxMs: readDuration(node.max, childPath(p, 'max')), window, ...(statuses ? { statuses } : {}) };
    }
    case 'circuit_breaker': {
      const node = readObject(outer[kind], p, ['name', 'cluster', 'max_in_flight', 'min_overflow', 'max_overflow']);
      const cluster = readString(node.cluster, childPath(p, 'cluster'));
      const count = (key: string) => optional(node[key], undefined, (v) => readInteger(v, childPath(p, key), 0));
      const maxInFlight = count('max_in_flight');
      const minOverflow = count('min_overflow');
      const maxOverflow = count('max_overflow');
      return {
        kind,
        name: label(node, `circuit breaker of ${cluster}`),
        cluster,
        ...(maxInFlight !== undefined ? { maxInFlight } : {}),
        ...(minOverflow !== undefined ? { minOverflow } : {}),
        ...(maxOverflow !== undefined ? { maxOverflow } : {}),
      };
    }
    case 'registry_convergence': {
      const node = readObject(outer[kind], p, ['name', 'instances', 'zones', 'step', 'from', 'within']);
      const step = stepRef(node, false);
      return {
        kind,
        name: label(node, `registries list ${String(node.instances)} instances`),
        instances: readInteger(node.instances, childPath(p, 'instances'), 1),
        ...(node.zones !== undefined ? { zones: strings(node.zones, childPath(p, 'zones')) } : {}),
        ...(step ? { step } : {}),
        from: from(node, 'end'),
        withinMs: readDuration(node.within, childPath(p, 'within')),
      };
    }
    case 'no_eviction': {
      const node = readObject(outer[kind], p, ['name', 'instances', 'zones', 'during', 'after', 'skip']);
      const window = parseWindow(node, p, steps);
      return {
        kind,
        name: label(node, windowLabel(`registries keep ${String(node.instances)} instances`, window)),
        instances: readInteger(node.instances, childPath(p, 'instances'), 1),
        ...(node.zones !== undefined ? { zones: strings(node.zones, childPath(p, 'zones')) } : {}),
        window,
      };
    }
  }
}

/** `status: 429` / `status: [429, 503]` (only those answers) or `except_status: [...]` (all but those). */
function parseStatusFilter(node: Record<string, unknown>, path: string): StatusFilter | undefined {
  if (node.status !== undefined && node.except_status !== undefined) throw new ConfigError(childPath(path, 'status'), 'give either status or except_status, not both');
  const read = (key: string): number[] | undefined => {
    const value = node[key];
    if (value === undefined) return undefined;
    const list = Array.isArray(value) ? value : [value];
    return list.map((v, i) => readInteger(v, Array.isArray(value) ? childPath(childPath(path, key), i) : childPath(path, key), 0, 599));
  };
  const only = read('status');
  const except = read('except_status');
  if (!only && !except) return undefined;
  return { ...(only ? { only } : {}), ...(except ? { except } : {}) };
}

function windowLabel(what: string, window: Window): string {
  if (window.during) return `${what} during ${window.during}`;
  if (window.after) return `${what} after ${window.after}`;
  return `${what} over the run`;
}

/** Validates a parsed YAML document into a Scenario; throws ConfigError with the path of the first problem. */
export function parseScenario(document: unknown): Scenario {
  const root = readObject(document, '', ['name', 'description', 'steady_state', 'load', 'steps', 'assertions', 'short_factor']);
  const name = readString(root.name, 'name', NAME, NAME_HINT);
  const description = optional(root.description, '', (v) => readString(v, 'description'));
  const load = parseLoad(root.load, 'load');
  const steadyState = root.steady_state !== undefined ? parseSteadyState(root.steady_state, 'steady_state') : undefined;

  const rawSteps = optional(root.steps, [] as unknown[], (v) => readArray(v, 'steps'));
  const names = new Set<string>();
  const partial = rawSteps.map((entry, i) => {
    const p = childPath('steps', i);
    const node = readObject(entry, p, ['name', 'at', 'duration', 'fault']);
    const stepName = readString(node.name, childPath(p, 'name'), NAME, NAME_HINT);
    if (names.has(stepName)) throw new ConfigError(childPath(p, 'name'), `duplicate step name "${stepName}"`);
    names.add(stepName);
    const atMs = readDuration(node.at, childPath(p, 'at'));
    const durationMs = node.duration !== undefined ? readDuration(node.duration, childPath(p, 'duration')) : undefined;
    return { name: stepName, atMs, durationMs, fault: parseFault(node.fault, childPath(p, 'fault')), path: p };
  });

  // Without a duration a step lasts until the next one starts, the last one until the closing steady-state window.
  const endOfFaults = load.durationMs - (steadyState?.windowMs ?? 0);
  const steps: Step[] = partial.map((s, i) => {
    if (i > 0 && s.atMs < partial[i - 1]!.atMs) throw new ConfigError(childPath(s.path, 'at'), 'steps must be in time order');
    const durationMs = s.durationMs ?? (i + 1 < partial.length ? partial[i + 1]!.atMs : endOfFaults) - s.atMs;
    if (durationMs <= 0) throw new ConfigError(childPath(s.path, 'duration'), 'the step ends before it starts');
    if (s.atMs + durationMs > load.durationMs) {
      throw new ConfigError(childPath(s.path, s.durationMs !== undefined ? 'duration' : 'at'), `ends after the load (${load.durationMs} ms)`);
    }
    if (steadyState && s.atMs < steadyState.windowMs) {
      throw new ConfigError(childPath(s.path, 'at'), `starts inside the opening steady-state window (${steadyState.windowMs} ms)`);
    }
    if (steadyState && s.atMs + durationMs > endOfFaults) {
      throw new ConfigError(childPath(s.path, 'duration'), `overlaps the closing steady-state window (faults must end by ${endOfFaults} ms)`);
    }
    return { name: s.name, atMs: s.atMs, durationMs, fault: s.fault };
  });

  const assertions = optional(root.assertions, [] as unknown[], (v) => readArray(v, 'assertions')).map((a, i) =>
    parseAssertion(a, childPath('assertions', i), names),
  );
  if (assertions.length === 0 && !steadyState) throw new ConfigError('assertions', 'a scenario needs assertions or a steady_state to prove anything');

  return {
    name,
    description,
    ...(steadyState ? { steadyState } : {}),
    load,
    steps,
    assertions,
    shortFactor: optional(root.short_factor, 0.5, (v) => readNumber(v, 'short_factor', 0.05, 1)),
  };
}
