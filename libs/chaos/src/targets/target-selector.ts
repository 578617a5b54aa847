import type { TargetSelector } from '../scenario/scenario.js';
import { HEALTH_PROXY_SUFFIX, parseInstanceName } from './instance-name.js';

/** A shell-style glob (`*`, `?`) as an anchored regular expression. */
export function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

/**
 * True when `name` satisfies every part the selector gives (parts are ORs of
 * their values). `port` picks traffic proxies (the default: what every
 * scenario meant before separate health ports existed), the health proxies
 * `<instance>-health`, or both (`any`); an instance glob matches a health
 * proxy by its instance's name too.
 */
export function matchesTarget(selector: TargetSelector, name: string): boolean {
  const health = name.endsWith(HEALTH_PROXY_SUFFIX);
  const port = selector.port ?? 'traffic';
  if (port !== 'any' && health !== (port === 'health')) return false;
  const instance = health ? name.slice(0, -HEALTH_PROXY_SUFFIX.length) : name;
  if (selector.instance && !selector.instance.some((g) => globToRegExp(g).test(name) || globToRegExp(g).test(instance))) return false;
  if (!selector.zone && !selector.service) return true;
  const parsed = parseInstanceName(name);
  if (!parsed) return false;
  if (selector.zone && !selector.zone.includes(parsed.zone)) return false;
  if (selector.service) {
    const versioned = parsed.version ? `${parsed.service}-${parsed.version}` : parsed.service;
    if (!selector.service.some((s) => s === parsed.service || s === versioned)) return false;
  }
  return true;
}

/** The names (proxies or processes) a selector picks, in name order. */
export function selectTargets(selector: TargetSelector, names: Iterable<string>): string[] {
  return [...names].filter((n) => matchesTarget(selector, n)).sort();
}

/** For messages: `zone=zone-a service=catalog,pricing`. */
export function describeSelector(selector: TargetSelector): string {
  return [
    ...(['zone', 'service', 'instance'] as const).filter((k) => selector[k]).map((k) => `${k}=${selector[k]!.join(',')}`),
    ...(selector.port ? [`port=${selector.port}`] : []),
  ].join(' ');
}
