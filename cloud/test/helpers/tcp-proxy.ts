import { once } from 'node:events';
import net, { type AddressInfo } from 'node:net';

export type Direction = 'up' | 'down';

/** What a fault does to one connection; decided when the connection opens. */
export interface ConnectionFault {
  /** Destroys both sockets once this many bytes (both directions together) have passed. */
  cutAfter?: number;
  /** Stops forwarding (the sockets stay open, the peer waits) at the first chunk this returns true for. */
  holdWhen?: (chunk: Buffer, direction: Direction, total: number) => boolean;
  /** Flips one byte of the downstream bytes at this offset (counted from the connection's first byte down). */
  flipDownAt?: number;
}

export interface ConnectionBytes {
  up: number;
  down: number;
}

/** Where a request began: the proxy's running total of bytes (since `reset`) and its request line. */
export interface RequestMark {
  at: number;
  line: string;
}

export interface TcpProxy {
  readonly port: number;
  readonly url: string;
  /** One entry per connection, in order of opening, counting bytes that reached the other side. */
  readonly connections: ConnectionBytes[];
  /** The HTTP requests seen going up, in order: lets a test place a cut inside a given step. */
  readonly requests: RequestMark[];
  /** Bytes forwarded in both directions since the proxy started (or since `reset`). */
  total(): number;
  reset(): void;
  /** The fault for connection `index` (0-based, counted since `reset`); none by default. */
  fault: (index: number) => ConnectionFault | undefined;
  /** Resolves when a connection is cut or held. */
  tripped(): Promise<'cut' | 'held'>;
  close(): Promise<void>;
}

/**
 * A TCP proxy between the device and the cloud that can cut, hold or corrupt a connection at a
 * chosen byte: the flaky 3G link, made repeatable.
 */
export async function startTcpProxy(target: { host?: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let connections: ConnectionBytes[] = [];
  let requests: RequestMark[] = [];
  const total = () => connections.reduce((sum, c) => sum + c.up + c.down, 0);
  let waiters: Array<(how: 'cut' | 'held') => void> = [];
  const trip = (how: 'cut' | 'held') => {
    const list = waiters;
    waiters = [];
    for (const resolve of list) resolve(how);
  };

  const server = net.createServer((client) => {
    const index = connections.length;
    const bytes: ConnectionBytes = { up: 0, down: 0 };
    connections.push(bytes);
    const fault = proxy.fault(index) ?? {};
    const upstream = net.connect(target.port, target.host ?? '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    let stopped = false;
    const cut = () => {
      stopped = true;
      client.destroy();
      upstream.destroy();
      trip('cut');
    };
    const forward = (from: net.Socket, to: net.Socket, direction: Direction) => {
      from.on('data', (data: Buffer) => {
        if (stopped) return;
        let chunk = data;
        if (direction === 'up') {
          const line = /^[A-Z]+ \/\S* HTTP\/1\.1/.exec(chunk.subarray(0, 200).toString('latin1'));
          if (line) requests.push({ at: total(), line: line[0] });
        }
        if (fault.holdWhen?.(chunk, direction, bytes.up + bytes.down)) {
          stopped = true;
          trip('held');
          return;
        }
        if (direction === 'down' && fault.flipDownAt !== undefined) {
          const at = fault.flipDownAt - bytes.down;
          if (at >= 0 && at < chunk.length) {
            chunk = Buffer.from(chunk);
            chunk[at] = chunk[at]! ^ 0xff;
          }
        }
        const room = fault.cutAfter === undefined ? Infinity : fault.cutAfter - (bytes.up + bytes.down);
        if (chunk.length < room) {
          bytes[direction] += chunk.length;
          to.write(chunk);
          return;
        }
        // The cut point is in this chunk: its first part leaves, as on a real link, then both ends drop.
        stopped = true;
        const part = chunk.subarray(0, Math.max(0, room));
        bytes[direction] += part.length;
        to.write(part, cut);
      });
      from.on('end', () => {
        if (!stopped) to.end();
      });
      from.on('close', () => to.destroy());
    };
    forward(client, upstream, 'up');
    forward(upstream, client, 'down');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;

  const proxy: TcpProxy = {
    port,
    url: `http://127.0.0.1:${port}`,
    get connections() {
      return connections;
    },
    get requests() {
      return requests;
    },
    total,
    reset() {
      connections = [];
      requests = [];
    },
    fault: () => undefined,
    tripped: () => new Promise((resolve) => waiters.push(resolve)),
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
