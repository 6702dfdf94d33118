export { default } from '../ava.config.base.js';
