import type { TargetSelector } from '../scenario/scenario.js';
import { parseInstanceName } from './instance-name.js';

/** A shell-style glob (`*`, `?`) as an anchored regular expression. */
export function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

/** True when `name` satisfies every part the selector gives (parts are ORs of their values). */
export function matchesTarget(selector: TargetSelector, name: string): boolean {
  if (selector.instance && !selector.instance.some((g) => globToRegExp(g).test(name))) return false;
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
  return (['zone', 'service', 'instance'] as const)
    .filter((k) => selector[k])
    .map((k) => `${k}=${selector[k]!.join(',')}`)
    .join(' ');
}
