import { reset, version } from './admin.controller.js';
import type { Handler } from './api-reply.js';
import { populate } from './populate.controller.js';
import { createProxy, deleteProxy, listProxies, showProxy, updateProxy } from './proxies.controller.js';
import { Router } from './router.js';
import { createToxic, deleteToxic, listToxics, showToxic, updateToxic } from './toxics.controller.js';

/** Toxiproxy's route table (api.go), in its order. */
export function apiRoutes(): Router<Handler> {
  return new Router<Handler>()
    .add(['POST'], '/reset', reset)
    .add(['GET'], '/proxies', listProxies)
    .add(['POST'], '/proxies', createProxy)
    .add(['POST'], '/populate', populate)
    .add(['GET'], '/proxies/{proxy}', showProxy)
    .add(['POST', 'PATCH'], '/proxies/{proxy}', updateProxy)
    .add(['DELETE'], '/proxies/{proxy}', deleteProxy)
    .add(['GET'], '/proxies/{proxy}/toxics', listToxics)
    .add(['POST'], '/proxies/{proxy}/toxics', createToxic)
    .add(['GET'], '/proxies/{proxy}/toxics/{toxic}', showToxic)
    .add(['POST', 'PATCH'], '/proxies/{proxy}/toxics/{toxic}', updateToxic)
    .add(['DELETE'], '/proxies/{proxy}/toxics/{toxic}', deleteToxic)
    .add(['GET'], '/version', version);
}
