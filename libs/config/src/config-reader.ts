import { ConfigError } from './config-error.js';
import { parseDuration } from './duration.js';

/**
 * Typed reads of an untrusted configuration tree (parsed YAML or JSON).
 * Every failure throws a ConfigError naming the exact path, so a user sees
 * `clusters[1].lb_policy: expected one of round_robin, random` instead of a
 * TypeError deep inside start-up.
 */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return typeof value === 'string' ? `"${value}"` : String(value);
}

/** A map whose keys must all be in `allowed`: unknown keys are errors (typos are the commonest mistake). */
export function readObject(value: unknown, path: string, allowed: readonly string[]): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(path, `expected a map, got ${describe(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new ConfigError(childPath(path, key), `unknown key (expected one of ${allowed.join(', ')})`);
    }
  }
  return value as Record<string, unknown>;
}

export function readArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new ConfigError(path, `expected a list, got ${describe(value)}`);
  return value;
}

export function readString(value: unknown, path: string, pattern?: RegExp, hint?: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new ConfigError(path, `expected a non-empty string, got ${describe(value)}`);
  }
  if (pattern && !pattern.test(value)) throw new ConfigError(path, hint ?? `does not match ${pattern}`);
  return value;
}

export function readEnum<T extends string>(value: unknown, path: string, options: readonly T[]): T {
  if (typeof value !== 'string' || !options.includes(value as T)) {
    throw new ConfigError(path, `expected one of ${options.join(', ')}, got ${describe(value)}`);
  }
  return value as T;
}

export function readNumber(value: unknown, path: string, min = -Infinity, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ConfigError(path, `expected a number, got ${describe(value)}`);
  }
  if (value < min || value > max) throw new ConfigError(path, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

export function readInteger(value: unknown, path: string, min = -Infinity, max = Infinity): number {
  const n = readNumber(value, path, min, max);
  if (!Number.isInteger(n)) throw new ConfigError(path, `expected a whole number, got ${n}`);
  return n;
}

export function readBoolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') throw new ConfigError(path, `expected true or false, got ${describe(value)}`);
  return value;
}

/** A duration in milliseconds, written as `10s`, `250ms`, `20m`. */
export function readDuration(value: unknown, path: string): number {
  const ms = typeof value === 'string' ? parseDuration(value) : undefined;
  if (ms === undefined) throw new ConfigError(path, 'expected a duration like "10s"');
  return ms;
}

/** A duration above zero (an interval, a timeout): `0s` would spin or never wait. */
export function readPositiveDuration(value: unknown, path: string): number {
  const ms = readDuration(value, path);
  if (ms <= 0) throw new ConfigError(path, `expected a duration greater than zero, got ${describe(value)}`);
  return ms;
}

export function readPort(value: unknown, path: string): number {
  return readInteger(value, path, 0, 65535);
}

/** `fallback` when the key is absent (undefined); the reader otherwise. */
export function optional<T>(value: unknown, fallback: T, read: (value: unknown) => T): T {
  return value === undefined ? fallback : read(value);
}
