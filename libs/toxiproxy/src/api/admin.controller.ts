import { TOXIPROXY_VERSION } from '../version.js';
import { noContent, type Handler } from './api-reply.js';

/** GET /version: Toxiproxy writes this body by hand, spacing and newline included. */
export const version: Handler = async () => ({
  status: 200,
  headers: { 'Content-Type': 'application/json;charset=utf-8' },
  body: `{"version": "${TOXIPROXY_VERSION}"}\n`,
});

/** POST /reset: every proxy enabled again, every toxic removed. */
export const reset: Handler = async ({ manager }) => {
  await manager.reset();
  return noContent();
};
