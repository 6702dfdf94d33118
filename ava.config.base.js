// tsx hooks are not active in AVA's worker threads on Node 20, hence workerThreads: false.
// One AVA setup for every workspace; each workspace's ava.config.js re-exports it.
export default {
  files: ['test/**/*.test.ts'],
  extensions: { ts: 'module' },
  nodeArguments: ['--import=tsx'],
  workerThreads: false,
  timeout: '60s',
};
