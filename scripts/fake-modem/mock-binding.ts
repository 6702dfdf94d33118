import { SerialPortMock } from 'serialport';
import type { FakeModem } from './responder.js';

const MockBinding = SerialPortMock.binding;
type MockPort = Awaited<ReturnType<typeof MockBinding.open>>;

export interface RespondingBinding {
  /** Pass as `binding` to the serial transport. */
  binding: Pick<typeof MockBinding, 'open' | 'list'>;
  path: string;
  /** Every command the modem received, in order. */
  received: string[];
  /** From now on the modem is gone: writes fail with ENXIO, as on a real unplug, and nothing more arrives. */
  unplug(): void;
  /** Sends raw characters as if the modem had (an unsolicited result, noise). */
  emit(data: string): void;
}

let counter = 0;

/**
 * serialport's mock binding with the fake modem behind it. The mock has no hook for replies
 * (node-serialport#2734), so writes are split into lines here and fed to the responder.
 */
export function createRespondingBinding(modem: FakeModem): RespondingBinding {
  counter += 1;
  // A fresh path per binding: the mock's port registry is global and ava runs tests concurrently.
  const path = `/dev/fake-modem-${process.pid}-${counter}`;
  MockBinding.createPort(path, {
    echo: false,
    record: false,
    vendorId: '12d1',
    productId: '1506',
    manufacturer: 'HUAWEI',
  });
  const received: string[] = [];
  let unplugged = false;
  let port: MockPort | undefined;
  let partial = '';
  const timers = new Set<NodeJS.Timeout>();

  const deliver = (data: string) => {
    if (!unplugged && port?.isOpen) port.emitData(Buffer.from(data, 'latin1'));
  };

  const binding: RespondingBinding['binding'] = {
    list: () => MockBinding.list(),
    async open(options) {
      const opened = await MockBinding.open(options);
      port = opened;
      const write = opened.write.bind(opened);
      opened.write = async (buffer: Buffer) => {
        if (unplugged) {
          throw Object.assign(
            new Error('Writing to COM port (GetOverlappedResult): No such device or address'),
            {
              code: 'ENXIO',
            },
          );
        }
        await write(buffer);
        partial += buffer.toString('latin1');
        const lines = partial.split('\r');
        partial = lines.pop() ?? '';
        for (const line of lines) {
          const command = line.replace(/^\n/, '');
          if (!command) continue;
          received.push(command);
          for (const reply of modem.handle(command)) {
            const timer = setTimeout(() => {
              timers.delete(timer);
              deliver(reply.data);
            }, reply.delayMs);
            timers.add(timer);
          }
        }
      };
      const close = opened.close.bind(opened);
      opened.close = async () => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        await close();
      };
      return opened;
    },
  };

  return {
    binding,
    path,
    received,
    unplug() {
      unplugged = true;
    },
    emit: deliver,
  };
}
