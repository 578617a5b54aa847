// Test fixture, not a test: a DNS server over UDP on loopback that answers A
// and SRV questions from a table (no compression, no recursion), or stays
// silent (an unreachable DNS server) while `silent` is set.
import { createSocket, type Socket } from 'node:dgram';

export interface SrvRecord {
  readonly priority: number;
  readonly weight: number;
  readonly port: number;
  readonly target: string;
}

const TYPE_A = 1;
const TYPE_SRV = 33;

export class TinyDnsServer {
  readonly a = new Map<string, string[]>();
  readonly srv = new Map<string, SrvRecord[]>();
  silent = false;
  queries = 0;
  private constructor(
    private readonly socket: Socket,
    readonly port: number,
  ) {}

  static async start(): Promise<TinyDnsServer> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    const server = new TinyDnsServer(socket, socket.address().port);
    socket.on('message', (message, peer) => {
      server.queries += 1;
      if (server.silent) return;
      socket.send(server.answer(message), peer.port, peer.address);
    });
    return server;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }

  private answer(query: Buffer): Buffer {
    const { name, type, end } = readQuestion(query);
    const key = name.toLowerCase();
    const known = this.a.has(key) || this.srv.has(key);
    const records: Buffer[] =
      type === TYPE_A ? (this.a.get(key) ?? []).map((ip) => Buffer.from(ip.split('.').map(Number))) : type === TYPE_SRV ? (this.srv.get(key) ?? []).map(srvData) : [];
    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2);
    // QR, RD copied, RA; RCODE 3 (NXDOMAIN) for unknown names, 0 (NOERROR, maybe no data) otherwise.
    header.writeUInt16BE(0x8180 | (query.readUInt16BE(2) & 0x0100) | (known ? 0 : 3), 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(records.length, 6);
    const answers = records.map((data) => {
      const fixed = Buffer.alloc(10);
      fixed.writeUInt16BE(type, 0);
      fixed.writeUInt16BE(1, 2);
      fixed.writeUInt32BE(5, 4);
      fixed.writeUInt16BE(data.length, 8);
      return Buffer.concat([encodeName(name), fixed, data]);
    });
    return Buffer.concat([header, query.subarray(12, end), ...answers]);
  }
}

function readQuestion(query: Buffer): { name: string; type: number; end: number } {
  const labels: string[] = [];
  let offset = 12;
  while (query[offset]! > 0) {
    const length = query[offset]!;
    labels.push(query.toString('ascii', offset + 1, offset + 1 + length));
    offset += 1 + length;
  }
  offset += 1;
  return { name: labels.join('.'), type: query.readUInt16BE(offset), end: offset + 4 };
}

function encodeName(name: string): Buffer {
  return Buffer.concat([...name.split('.').filter(Boolean).map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')])), Buffer.from([0])]);
}

function srvData(record: SrvRecord): Buffer {
  const fixed = Buffer.alloc(6);
  fixed.writeUInt16BE(record.priority, 0);
  fixed.writeUInt16BE(record.weight, 2);
  fixed.writeUInt16BE(record.port, 4);
  return Buffer.concat([fixed, encodeName(record.target)]);
}
