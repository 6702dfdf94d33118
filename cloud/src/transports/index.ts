export { createSmtpRelayTransport, composeMessage, type DkimOptions } from './smtp-relay.js';
export { createSendgridTransport } from './sendgrid.js';
