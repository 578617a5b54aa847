// The Node ceiling for a TCP proxy in `zonemesh bench toxiproxy`: nothing
// but `pipe()` both ways, one listener per upstream in BENCH_UPSTREAMS
// (comma-separated host:port). Its ready line lists the listen addresses
// in the same order.
import { connect, createServer, type Server } from 'node:net';

function proxyTo(upstream: string): Server {
  const [host, port] = [upstream.slice(0, upstream.lastIndexOf(':')), Number(upstream.slice(upstream.lastIndexOf(':') + 1))];
  return createServer({ allowHalfOpen: true }, (client) => {
    const server = connect({ host, port, allowHalfOpen: true, noDelay: true });
    client.setNoDelay(true);
    client.pipe(server).on('error', () => client.destroy());
    server.pipe(client).on('error', () => server.destroy());
    client.on('error', () => server.destroy());
    server.on('error', () => client.destroy());
  });
}

const upstreams = (process.env.BENCH_UPSTREAMS ?? '').split(',').filter(Boolean);
const addresses = await Promise.all(
  upstreams.map(
    (upstream) =>
      new Promise<string>((resolve) => {
        const server = proxyTo(upstream);
        server.listen(0, '127.0.0.1', () => {
          const address = server.address();
          resolve(typeof address === 'object' && address ? `127.0.0.1:${address.port}` : '');
        });
      }),
  ),
);
process.stdout.write(`${JSON.stringify({ event: 'ready', instanceId: 'pipe-proxy', address: addresses[0], addresses })}\n`);
process.once('SIGTERM', () => process.exit(0));
process.once('SIGINT', () => process.exit(0));
