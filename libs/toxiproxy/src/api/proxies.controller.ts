import { ErrMissingField } from '../api-error.js';
import type { ProxyJson } from '../proxy/proxy.js';
import { decodeJson, expectObject, readField } from './go-json.js';
import { jsonReply, noContent, type Handler } from './api-reply.js';

/** GET /proxies: an object keyed by proxy name. */
export const listProxies: Handler = async ({ manager }) => {
  const proxies: Record<string, ProxyJson> = {};
  for (const proxy of manager.all()) proxies[proxy.name] = proxy.toJSON();
  return jsonReply(200, proxies);
};

/** POST /proxies: 201 with the proxy; 409 on a duplicate name (checked before binding). */
export const createProxy: Handler = async ({ manager, body }) => {
  const input = expectObject(decodeJson(body), 'toxiproxy.Proxy');
  const name = readField(input, 'name', 'string', 'Proxy') ?? '';
  const listen = readField(input, 'listen', 'string', 'Proxy') ?? '';
  const upstream = readField(input, 'upstream', 'string', 'Proxy') ?? '';
  const enabled = readField(input, 'enabled', 'bool', 'Proxy') ?? true;
  if (name.length < 1) throw ErrMissingField.join('name');
  if (upstream.length < 1) throw ErrMissingField.join('upstream');
  const proxy = await manager.create({ name, listen, upstream, enabled });
  return jsonReply(201, proxy.toJSON());
};

export const showProxy: Handler = async ({ manager, params }) => jsonReply(200, manager.get(params.proxy).toJSON());

/** POST/PATCH /proxies/{proxy}: missing fields keep their current values. */
export const updateProxy: Handler = async ({ manager, params, body }) => {
  const proxy = manager.get(params.proxy);
  const input = expectObject(decodeJson(body), 'toxiproxy.Proxy');
  await proxy.update({
    listen: readField(input, 'listen', 'string', 'Proxy') ?? proxy.listen,
    upstream: readField(input, 'upstream', 'string', 'Proxy') ?? proxy.upstream,
    enabled: readField(input, 'enabled', 'bool', 'Proxy') ?? proxy.enabled,
  });
  return jsonReply(200, proxy.toJSON());
};

export const deleteProxy: Handler = async ({ manager, params }) => {
  await manager.remove(params.proxy);
  return noContent();
};
