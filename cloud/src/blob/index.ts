export { createAzureBlobStore, type AzureBlobStore } from './azure-blob-store.js';
