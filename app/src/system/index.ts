export {
  createSystemStatus,
  parseMeminfo,
  parseThrottled,
  type PowerFlags,
  type SystemReport,
  type SystemStatus,
  type SystemStatusOptions,
} from './system-status.js';
