import { MAX_REGEX_INPUT_LENGTH, type HeaderMatchConfig, type PathMatchConfig } from './route.config.js';

/** Request headers as Node and Fastify hand them over: lower-case names, repeated headers as lists. */
export type RouteHeaders = Readonly<Record<string, string | string[] | undefined>>;

export type PathMatcher = (path: string) => boolean;
export type HeaderMatcher = (headers: RouteHeaders) => boolean;

/** Anchored, like Envoy's safe_regex: the pattern must match the whole input. */
function fullMatch(source: string): (input: string) => boolean {
  const regex = new RegExp(`^(?:${source})$`);
  return (input) => input.length <= MAX_REGEX_INPUT_LENGTH && regex.test(input);
}

export function compilePathMatcher(config: PathMatchConfig | undefined): PathMatcher {
  if (config === undefined) return () => true;
  const value = config.value;
  switch (config.kind) {
    case 'prefix':
      return (path) => path.startsWith(value);
    case 'exact':
      return (path) => path === value;
    case 'regex':
      return fullMatch(value);
  }
}

/** Repeated headers are one comma-joined value (RFC 9110 5.3); only then is there an allocation. */
function headerValue(headers: RouteHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

export function compileHeaderMatcher(config: HeaderMatchConfig): HeaderMatcher {
  const name = config.name;
  switch (config.kind) {
    case 'present': {
      const wanted = config.present;
      return (headers) => (headers[name] !== undefined) === wanted;
    }
    case 'exact': {
      const wanted = config.value;
      return (headers) => headerValue(headers, name) === wanted;
    }
    case 'regex': {
      const test = fullMatch(config.value);
      return (headers) => {
        const value = headerValue(headers, name);
        return value !== undefined && test(value);
      };
    }
  }
}
