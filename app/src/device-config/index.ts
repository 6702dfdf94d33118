export {
  DeviceConfigSchema,
  DEVICE_CONFIG_VERSION,
  LINK_KINDS,
  PHOTO_POLICIES,
  checkDeviceConfig,
  type DeviceConfig,
  type LinkKind,
  type PhotoPolicy,
} from './schema.js';
export {
  loadDeviceConfig,
  loadDeviceDefaults,
  saveDeviceConfig,
  DEVICE_CONFIG_FILE,
  DEVICE_DEFAULTS_FILE,
  type LoadDeviceConfigOptions,
} from './store.js';
export { migrateDeviceConfig, parseSettingsEnv, type Migration } from './migrate.js';
export { cronToOnCalendar } from './on-calendar.js';
export { parseCidr, parseIpv4, formatIpv4, type Subnet } from './ipv4.js';
export { writeFileAtomically } from './atomic-file.js';
