export { checkDeviceName, RESERVED_NAMES } from './names.js';
export { createDeviceService, type DeviceService, type RegisteredDevice } from './service.js';
export type {
  Device,
  DeviceRecord,
  DeviceStats,
  DeviceStore,
  DeviceSummary,
  DayFigure,
  SyncFigure,
} from './ports.js';
