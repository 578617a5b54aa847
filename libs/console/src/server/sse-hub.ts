import type { ServerResponse } from 'node:http';

/**
 * Server-Sent Events to every open page: one write per event to each client,
 * a comment every 15 s so proxies and browsers keep idle streams open, and a
 * client that went away is simply dropped.
 */
export class SseHub {
  private readonly clients = new Set<ServerResponse>();
  private readonly keepAlive: NodeJS.Timeout;

  constructor() {
    this.keepAlive = setInterval(() => this.write(': keep-alive\n\n'), 15_000);
    this.keepAlive.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  /** Takes over the response as an event stream; `first` events go to this client only (its history). */
  add(res: ServerResponse, first: readonly { event: string; data: unknown }[]): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write('retry: 2000\n\n');
    for (const e of first) res.write(frame(e.event, e.data));
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
  }

  send(event: string, data: unknown): void {
    if (this.clients.size > 0) this.write(frame(event, data));
  }

  close(): void {
    clearInterval(this.keepAlive);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private write(text: string): void {
    for (const res of this.clients) res.write(text);
  }
}

function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
