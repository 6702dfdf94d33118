export { createHttpClient, type HttpClientOptions } from './http-client.js';
