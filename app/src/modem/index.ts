export {
  createAtClient,
  defaultPrefix,
  type AtClient,
  type AtClientLog,
  type AtClientOptions,
  type AtResponse,
  type AtTransport,
  type CommandOptions,
} from './at-client.js';
export {
  createModemDiagnostics,
  assess,
  dialConditionsFrom,
  type Field,
  type FieldReason,
  type Finding,
  type ModemDiagnostics,
  type ModemDiagnosticsDeps,
  type ModemSnapshot,
  type ModemStatus,
  type UssdResult,
} from './diagnostics.js';
export {
  discoverModems,
  classifyProduct,
  describeStick,
  portPath,
  type Discovery,
  type DiscoveryOptions,
  type PortRole,
  type SerialPortInfo,
  type UsbMode,
  type UsbStick,
} from './discovery.js';
export { ensureModemMode, switchToModemMode, modeSwitchArgs, type ModeSwitchOptions } from './mode-switch.js';
export { suggestApn, type ApnSuggestion } from './carriers.js';
export {
  loadCarrierTable,
  loadModemTable,
  CONFIG_DIR,
  type Carrier,
  type CarrierTable,
  type ModemTable,
} from './tables.js';
export {
  renderWvdialConf,
  parseWvdialLine,
  describeDialFailure,
  type DialFailure,
  type WvdialEvent,
  type WvdialSettings,
} from './wvdial.js';
export { createModemLink, type ModemLinkOptions } from './dialer.js';
export { checkDialLock, assertNotDialing, type DialLockOptions, type DialLockState } from './lock.js';
export {
  runCommand,
  spawnProcess,
  type CommandRunner,
  type CommandResult,
  type ProcessSpawner,
  type SpawnedProcess,
} from './processes.js';
export * from './parsers/index.js';
