import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LokoleError } from '@lokole/protocol';

/** Azurite's well-known development account (public, documented by Microsoft). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface RunningAzurite {
  readonly pid: number;
  readonly port: number;
  readonly connectionString: string;
  stop(): Promise<void>;
}

/**
 * Starts Azurite's blob service as a child process on a free port, in memory (stack notes §3.1):
 * for tests, benchmarks and `make start`. Never in production.
 */
export async function startAzurite(options: { timeoutMs?: number } = {}): Promise<RunningAzurite> {
  const require = createRequire(import.meta.url);
  const main = path.join(path.dirname(require.resolve('azurite/package.json')), 'dist/src/blob/main.js');
  // Azurite runs behind a stdin pipe: when this process dies, even by SIGKILL, the pipe closes and Azurite exits too.
  const dieWithParent = `process.stdin.on('end', () => process.exit(0)); process.stdin.resume(); process.argv.splice(1, 0, ${JSON.stringify(main)}); import(${JSON.stringify(pathToFileURL(main).href)});`;
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '-e',
      dieWithParent,
      '--',
      '--blobHost',
      '127.0.0.1',
      '--blobPort',
      '0',
      '--inMemoryPersistence',
      '--extentMemoryLimit',
      '64',
      // storage-blob 12.32 sends an API version Azurite 3.35 does not know yet.
      '--skipApiVersionCheck',
      '--disableTelemetry',
      '--silent',
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new LokoleError(
          'UNAVAILABLE',
          `Azurite did not start within ${options.timeoutMs ?? 30000} ms: ${output}`,
        ),
      );
    }, options.timeoutMs ?? 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listens on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new LokoleError('UNAVAILABLE', `Azurite exited with code ${code} before listening: ${output}`));
    });
  });
  child.stdout!.resume();
  child.stderr!.resume();
  child.unref();
  const connectionString =
    `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};` +
    `BlobEndpoint=http://127.0.0.1:${port}/${AZURITE_ACCOUNT};`;
  return {
    pid: child.pid!,
    port,
    connectionString,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.ref(); // unref'd while running, so a forgotten Azurite never keeps a process alive
        child.once('exit', () => resolve());
        // Closing the pipe ends the wrapper at once; Azurite's own SIGTERM handler would wait on the open pipe.
        child.stdin?.end();
      }),
  };
}
