export { createWebApp, type WebAppDeps } from './app.js';
export { createSessionStore, loadSessionSecret } from './session-store.js';
export { BODY_CSP } from './routes/mail.js';
