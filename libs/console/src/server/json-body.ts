import type { IncomingMessage } from 'node:http';
import { ActionError } from '../actions/fault-request.js';

/** Reads a small JSON body; a body over `limit` bytes or not JSON is a 400, never a crash. */
export async function readJsonBody(req: IncomingMessage, limit = 16 * 1024): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new ActionError(`request body over ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ActionError('request body is not valid JSON');
  }
}
