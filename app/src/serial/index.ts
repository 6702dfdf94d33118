export { openSerialTransport, type SerialTransportOptions } from './serial-transport.js';
