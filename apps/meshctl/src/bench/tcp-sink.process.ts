// The upstream of `zonemesh bench toxiproxy`, run as its own process so the
// proxy and the client never share its event loop. Two listeners:
// - push: reads an 8-byte length N, swallows N bytes, answers one byte;
// - echo: writes back everything it reads (round trips).
import { createServer, type Server, type Socket } from 'node:net';

const ACK = Buffer.from('K');

function onPush(socket: Socket): void {
  let expected = -1;
  let received = 0;
  let header = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    if (expected < 0) {
      header = Buffer.concat([header, chunk]);
      if (header.length < 8) return;
      expected = Number(header.readBigUInt64BE(0));
      received = header.length - 8;
    } else {
      received += chunk.length;
    }
    if (received >= expected) socket.end(ACK);
  });
  socket.on('error', () => undefined);
}

function onEcho(socket: Socket): void {
  socket.setNoDelay(true);
  socket.on('data', (chunk: Buffer) => socket.write(chunk));
  socket.on('error', () => undefined);
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? `127.0.0.1:${address.port}` : '');
    }),
  );
}

const push = createServer(onPush);
const echo = createServer(onEcho);
const [pushAddress, echoAddress] = await Promise.all([listen(push), listen(echo)]);
process.stdout.write(`${JSON.stringify({ event: 'ready', instanceId: 'tcp-sink', address: pushAddress, echo: echoAddress })}\n`);
const stop = (): void => {
  push.close();
  echo.close();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
