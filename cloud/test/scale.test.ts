import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import nodemailer from 'nodemailer';
import { main } from '../src/cli/main.js';
import { openDatabase } from '../src/db/connect.js';
import { useAzurite } from './helpers/azurite.js';
import { usePostgres } from './helpers/postgres.js';
import { waitFor } from './helpers/wait.js';

const azurite = useAzurite(test);
const postgres = usePostgres(test);
const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'lokole-cloud.js');
const MESSAGES = 1000;

function start(
  command: 'serve' | 'worker',
  env: Record<string, string>,
): { child: ChildProcess; ready: Promise<string> } {
  const child = spawn(process.execPath, [BIN, command], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => l.startsWith('lokole-cloud '));
      if (line) resolve(line);
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`${command} exited with ${code}: ${output}`)));
  });
  return { child, ready };
}

test('2 API and 2 worker processes on PostgreSQL take 1,000 concurrent SMTP messages, each queued once per addressed device', async (t) => {
  t.timeout(150_000);
  const env = {
    DATABASE_URL: postgres().url,
    AZURE_STORAGE_CONNECTION_STRING: azurite().connectionString,
    BLOB_CONTAINER: 'scale',
    SMTP_RELAY_URL: 'smtp://127.0.0.1:9',
    HOST: '127.0.0.1',
    SMTP_HOST: '127.0.0.1',
    PORT: '0',
    SMTP_PORT: '0',
    LOG_LEVEL: 'error',
    JOB_CONCURRENCY: '8',
  };
  const out: string[] = [];
  const io = {
    env,
    out: (s: string) => out.push(s),
    err: (s: string) => out.push(s),
    stopped: Promise.resolve(),
  };
  t.is(await main(['migrate'], io), 0, out.join('\n'));
  t.is(await main(['token', 'create', '--role', 'admin'], io), 0, out.join('\n'));
  const token = out.find((line) => line.startsWith('lka_'))!;

  const processes = [start('serve', env), start('serve', env), start('worker', env), start('worker', env)];
  t.teardown(async () => {
    await Promise.all(
      processes.map(async ({ child }) => {
        if (child.exitCode !== null) return;
        child.kill('SIGTERM');
        await once(child, 'exit');
      }),
    );
  });
  const lines = await Promise.all(processes.map((p) => p.ready));
  const apis = lines.slice(0, 2).map((line) => {
    const [, http, smtp] = /http on (\d+), smtp on (\d+)/.exec(line)!;
    return { http: Number(http), smtp: Number(smtp) };
  });

  const names = ['alpha', 'beta', 'gamma'];
  const ids: Record<string, string> = {};
  for (const [i, name] of names.entries()) {
    const res = await fetch(`http://127.0.0.1:${apis[i % 2]!.http}/api/v2/admin/devices`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name }),
    });
    t.is(res.status, 201);
    ids[name] = ((await res.json()) as { id: string }).id;
  }

  // Message i goes to two of the three devices, in turn; 2 × 20 pooled connections send at once.
  const transports = apis.map((api) =>
    nodemailer.createTransport({
      host: '127.0.0.1',
      port: api.smtp,
      pool: true,
      maxConnections: 20,
      maxMessages: Infinity,
      ignoreTLS: true,
    }),
  );
  const expected = new Map<string, string[]>();
  const started = Date.now();
  await Promise.all(
    Array.from({ length: MESSAGES }, async (_, i) => {
      const to = [names[i % 3]!, names[(i + 1) % 3]!].map((name) => `user${i}@${name}.lokole.ca`);
      const subject = `scale message ${i}`;
      expected.set(subject, to.map((address) => ids[address.split('@')[1]!.split('.')[0]!]!).sort());
      await transports[i % 2]!.sendMail({ from: `sender${i}@example.org`, to, subject, text: `body ${i}` });
    }),
  );
  for (const transport of transports) transport.close();
  const sentMs = Date.now() - started;

  const knex = openDatabase({ engine: 'postgres', databaseUrl: postgres().url });
  t.teardown(() => knex.destroy());
  await waitFor(
    async () =>
      Number((await knex('inbound_messages').where('state', 'parsed').count({ n: '*' }).first())?.n) ===
      MESSAGES,
    { timeoutMs: 90_000, what: `${MESSAGES} parsed messages` },
  );
  const parsedMs = Date.now() - started;
  t.log(`sent in ${sentMs} ms, all parsed and routed in ${parsedMs} ms`);

  const rows = (await knex('device_emails')
    .join('emails', 'emails.id', 'device_emails.email_id')
    .select('device_emails.device_id', 'emails.email')) as Array<{ device_id: string; email: string }>;
  t.is(rows.length, MESSAGES * 2);
  const actual = new Map<string, string[]>();
  for (const row of rows) {
    const subject = (JSON.parse(row.email) as { subject: string }).subject;
    actual.set(subject, [...(actual.get(subject) ?? []), row.device_id].sort());
  }
  t.is(actual.size, MESSAGES);
  const sorted = (map: Map<string, string[]>) =>
    Object.fromEntries([...map].sort(([a], [b]) => a.localeCompare(b)));
  t.deepEqual(sorted(actual), sorted(expected));
  const duplicates = await knex('inbound_messages')
    .select('sha256')
    .count({ n: '*' })
    .groupBy('sha256')
    .having(knex.raw('count(*) > 1'));
  t.deepEqual(duplicates, []);
});
