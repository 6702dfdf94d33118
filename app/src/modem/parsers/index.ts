export { parseCsq, signalFromRssi, type SignalQuality, type SignalLabel } from './csq.js';
export {
  parseRegistration,
  parseRegistrationUrc,
  type Registration,
  type RegistrationKind,
  type RegistrationState,
} from './registration.js';
export { parseCops, type Operator } from './cops.js';
export { parseCpin, parseHuaweiCpin, type SimLock, type SimStatus, type SimRetries } from './cpin.js';
export {
  parseCimi,
  parseIccid,
  parseImei,
  parseIdentityLine,
  parseAti,
  networkFromImsi,
  normalizeIccid,
  isLuhnValid,
  type ModemIdentity,
} from './identity.js';
export { parseSysinfo, parseSysinfoEx, parseHcsq, type SystemInfo, type HuaweiSignal } from './sysinfo.js';
export { parseCgdcont, isValidApn, type PdpContext } from './cgdcont.js';
export { parseFinal, isFinalResult, describeCme, classifyCme, CME_ERRORS, type FinalResult } from './cme.js';
export {
  packGsm7Hex,
  unpackGsm7Hex,
  decodeUcs2Hex,
  decodeUssdText,
  encodingOfDcs,
  parseCusd,
  isUssdCode,
  type UssdReply,
  type UssdStatus,
} from './ussd.js';
