import { ApiError, ErrMissingField, toApiError } from '../api-error.js';
import type { ProxyConfig } from '../proxy/proxy-config.js';
import type { Proxy } from '../proxy/proxy.js';
import { badBody, decodeJson, expectObject, jsonKind, readField } from './go-json.js';
import { jsonReply, type Handler } from './api-reply.js';

const GO_TYPE = '[]struct { toxiproxy.Proxy; Enabled *bool "json:\\"enabled\\"" }';

/**
 * POST /populate: 201 `{"proxies":[...]}`. Every entry is validated before any
 * change; application stops at the first failure and reports
 * `{"error","status","proxies":[applied so far]}` with the failure's status.
 * Like Go encoding a nil slice, an empty list is written as `null`.
 */
export const populate: Handler = async ({ manager, body }) => {
  let configs: ProxyConfig[];
  try {
    configs = parsePopulate(body);
  } catch (error) {
    return populateReply([], toApiError(error));
  }
  const result = await manager.populate(configs);
  return populateReply(result.proxies, result.error);
};

/** Validate a populate body into proxy configs (`... at proxy N`, 1-based). */
export function parsePopulate(body: string): ProxyConfig[] {
  const value = decodeJson(body);
  if (value === null) return [];
  if (!Array.isArray(value)) throw badBody(`json: cannot unmarshal ${jsonKind(value)} into Go value of type ${GO_TYPE}`);
  const names = new Set<string>();
  return value.map((entry, index) => {
    const input = expectObject(entry, 'struct { toxiproxy.Proxy; Enabled *bool "json:\\"enabled\\"" }');
    const name = readField(input, 'name', 'string', 'Proxy') ?? '';
    const listen = readField(input, 'listen', 'string', 'Proxy') ?? '';
    const upstream = readField(input, 'upstream', 'string', 'Proxy') ?? '';
    const enabled = readField(input, 'enabled', 'bool', 'Proxy') ?? true;
    if (name.length < 1) throw ErrMissingField.join(`name at proxy ${index + 1}`);
    if (upstream.length < 1) throw ErrMissingField.join(`upstream at proxy ${index + 1}`);
    if (names.has(name)) throw new ApiError(`duplicate proxy name ${JSON.stringify(name)}`, 500);
    names.add(name);
    return { name, listen, upstream, enabled };
  });
}

function populateReply(proxies: Proxy[], error?: ApiError) {
  const list = proxies.length > 0 ? proxies.map((p) => p.toJSON()) : null;
  if (!error) return jsonReply(201, { proxies: list });
  return jsonReply(error.status, { error: error.message, status: error.status, proxies: list });
}
