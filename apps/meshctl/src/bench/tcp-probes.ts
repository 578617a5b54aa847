import { connect, type Socket } from 'node:net';

const CHUNK = Buffer.alloc(64 * 1024, 0x5a);

function open(address: string): Promise<Socket> {
  const at = address.lastIndexOf(':');
  return new Promise((resolve, reject) => {
    const socket = connect({ host: address.slice(0, at), port: Number(address.slice(at + 1)), noDelay: true });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/**
 * Pushes `bytes` to a tcp-sink push listener (directly or through a proxy)
 * and resolves with MB/s (10^6 bytes), timed from the first byte written
 * to the sink's acknowledgement that all of them arrived.
 */
export async function pushThroughput(address: string, bytes: number, timeoutMs: number): Promise<number> {
  const socket = await open(address);
  try {
    const header = Buffer.alloc(8);
    header.writeBigUInt64BE(BigInt(bytes));
    const acked = new Promise<void>((resolve, reject) => {
      socket.once('data', () => resolve());
      socket.once('close', () => reject(new Error(`connection to ${address} closed before the push was acknowledged`)));
      setTimeout(() => reject(new Error(`push of ${bytes} bytes through ${address} not acknowledged within ${timeoutMs} ms`)), timeoutMs).unref();
    });
    acked.catch(() => undefined);
    const started = performance.now();
    socket.write(header);
    let left = bytes;
    while (left > 0) {
      const piece = left >= CHUNK.length ? CHUNK : CHUNK.subarray(0, left);
      left -= piece.length;
      if (!socket.write(piece)) await new Promise((resolve) => socket.once('drain', resolve));
    }
    await acked;
    return bytes / 1e6 / ((performance.now() - started) / 1000);
  } finally {
    socket.destroy();
  }
}

/**
 * `count` ping-pongs of `size` bytes with an echo listener on one connection;
 * resolves with the median round trip in microseconds.
 */
export async function pingPongMedianUs(address: string, count: number, size: number, timeoutMs: number): Promise<number> {
  const socket = await open(address);
  const payload = Buffer.alloc(size, 0x61);
  const rtts: number[] = [];
  try {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`ping-pong through ${address} not done within ${timeoutMs} ms`)), timeoutMs);
    });
    let received = 0;
    let wake: (() => void) | undefined;
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received >= size) wake?.();
    });
    try {
      for (let i = 0; i < count; i++) {
        received = 0;
        const back = new Promise<void>((resolve) => (wake = resolve));
        const started = performance.now();
        socket.write(payload);
        await Promise.race([back, expired]);
        rtts.push((performance.now() - started) * 1000);
      }
    } finally {
      clearTimeout(timer);
    }
  } finally {
    socket.destroy();
  }
  rtts.sort((a, b) => a - b);
  return rtts[Math.floor(rtts.length / 2)]!;
}
