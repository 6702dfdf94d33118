export type { Link, LinkKind, LinkSession, LinkReport, InterfaceBytes, DialConditions } from './link.js';
export { createAlwaysOnLink, type AlwaysOnLinkOptions } from './always-on.js';
export { createNoLink } from './none.js';
export { readInterfaceBytes, bytesBetween, SYS_CLASS_NET } from './interface-bytes.js';
