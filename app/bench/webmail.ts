// `npm run bench -w app`: the webmail under load. Seeds 100 users and 50,000 emails, starts the
// real server as a child process, drives 20 concurrent keep-alive clients, and writes
// bench/results/webmail.json. Prints PASS/MISS per target; never fails.
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { generateMail } from '@lokole/protocol/generate';
import { hashPassword } from '../src/accounts/index.js';
import { migrateDatabase, openDatabase } from '../src/db/index.js';
import { htmlToText, sanitizeEmailHtml } from '../src/mail/index.js';
import { DEVICE_ENV, DEVICE_NODE_FLAGS, buildServer } from '../scripts/build.js';

const APP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = path.resolve(APP, '..');
const WORK = path.join(ROOT, 'bench/work/webmail');
const DOMAIN = 'kinshasa.lokole.ca';
const USERS = 100;
const EMAILS = 50_000;
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 20);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2_000);

async function seed(): Promise<Map<number, string[]>> {
  const started = Date.now();
  await rm(WORK, { recursive: true, force: true });
  await mkdir(WORK, { recursive: true });
  const db = await openDatabase(path.join(WORK, 'lokole.sqlite3'));
  await migrateDatabase(db);
  const hash = await hashPassword('correct horse');
  const now = new Date().toISOString();
  await db('users').insert(
    Array.from({ length: USERS }, (_, i) => ({
      name: `user${i}`,
      address: `user${i}@${DOMAIN}`,
      password_hash: hash,
      role: i === 0 ? 'admin' : 'user',
      created_at: now,
    })),
  );
  const { emails } = await generateMail({ seed: 42, count: 2_000, domain: DOMAIN });
  const bodies = emails.map((email) => {
    const html = sanitizeEmailHtml(email.body);
    return { html, text: htmlToText(html) };
  });
  const inboxUids = new Map<number, string[]>();
  let rng = 12345;
  const random = (n: number) => {
    rng = (Math.imul(rng, 1103515245) + 12345) >>> 0;
    return (rng >>> 8) % n;
  };
  const start = Date.parse('2026-01-01T00:00:00Z');
  await db.transaction(async (trx) => {
    for (let batch = 0; batch < EMAILS; batch += 500) {
      const rows = [];
      const fts = [];
      const mailboxes = [];
      for (let i = batch; i < Math.min(EMAILS, batch + 500); i++) {
        const source = emails[i % emails.length]!;
        const body = bodies[i % emails.length]!;
        const id = i + 1;
        const sender = random(USERS);
        const isInbound = random(3) > 0;
        const recipients = [...new Set([random(USERS), random(USERS)])].filter(
          (r) => isInbound || r !== sender,
        );
        const from = isInbound ? source.from : `user${sender}@${DOMAIN}`;
        const to = recipients.map((r) => `user${r}@${DOMAIN}`);
        const sentAt = new Date(start + i * 60_000).toISOString().slice(0, 16).replace('T', ' ');
        const uid = `bench-${i}`;
        rows.push({
          id,
          uid,
          from_address: from,
          to_addresses: JSON.stringify(to),
          subject: source.subject,
          body_html: body.html,
          sent_at: sentAt,
          created_at: now,
        });
        fts.push([id, source.subject, body.text, [from, ...to].join(' ')]);
        for (const r of recipients) {
          mailboxes.push({
            user_id: r + 1,
            email_id: id,
            folder: 'inbox',
            sent_at: sentAt,
            is_read: random(2),
          });
          if (!inboxUids.has(r + 1)) inboxUids.set(r + 1, []);
          inboxUids.get(r + 1)!.push(uid);
        }
        if (!isInbound)
          mailboxes.push({ user_id: sender + 1, email_id: id, folder: 'sent', sent_at: sentAt, is_read: 1 });
      }
      await trx.batchInsert('emails', rows, 100);
      await trx.batchInsert('mailboxes', mailboxes, 150);
      for (const values of fts) {
        await trx.raw('INSERT INTO emails_fts (rowid, subject, body, addresses) VALUES (?, ?, ?, ?)', values);
      }
    }
  });
  await db.raw('PRAGMA optimize');
  await db.destroy();
  console.log(
    `seeded ${USERS} users and ${EMAILS} emails in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return inboxUids;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Client {
  cookie: string;
  userId: number;
}

async function logIn(base: string, userId: number): Promise<Client> {
  const page = await fetch(`${base}/login`);
  const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const response = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, name: `user${userId - 1}`, password: 'correct horse' }),
  });
  if (response.status !== 303) throw new Error(`log-in failed: ${response.status}`);
  return { cookie: response.headers.get('set-cookie')!.split(';')[0]!, userId };
}

async function drive(
  clients: Client[],
  total: number,
  url: (client: Client, i: number) => string,
): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  await Promise.all(
    clients.map(async (client) => {
      while (next < total) {
        const i = next++;
        const started = performance.now();
        const response = await fetch(url(client, i), { headers: { cookie: client.cookie } });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`${url(client, i)}: ${response.status}`);
        times.push(performance.now() - started);
      }
    }),
  );
  return times;
}

async function main(): Promise<void> {
  // Other work on the machine skews the figures: the load average goes into the results.
  const loadBefore = os.loadavg()[0]!.toFixed(1);
  const inboxUids = await seed();
  // As on the device: the bundle, plain node, its flags and environment. BENCH_NODE_ARGS adds
  // flags (e.g. --cpu-prof); BENCH_DEVICE_FLAGS replaces the device's (to compare them).
  const bundle = await buildServer();
  const flags = (value: string) => value.split(' ').filter(Boolean);
  const nodeArgs = [
    ...(process.env.BENCH_DEVICE_FLAGS === undefined
      ? DEVICE_NODE_FLAGS
      : flags(process.env.BENCH_DEVICE_FLAGS)),
    ...flags(process.env.BENCH_NODE_ARGS ?? ''),
  ];
  const child = spawn(process.execPath, [...nodeArgs, bundle, 'serve'], {
    env: {
      ...process.env,
      ...DEVICE_ENV,
      NODE_ENV: 'production',
      LOKOLE_DATA_DIR: WORK,
      LOKOLE_DEVICE_NAME: 'kinshasa',
      PORT: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const base = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /on (http:\/\/localhost:\d+)\//.exec(out);
        if (match) resolve(match[1]!.replace('localhost', '127.0.0.1'));
      });
      child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    const clients = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => logIn(base, i + 2)));
    const words = ['mbote', 'rapport', 'réunion', 'habari', 'merci', 'kelasi', 'famille', 'shule'];
    const readUrl = (client: Client, i: number) => {
      const uids = inboxUids.get(client.userId)!;
      return `${base}/email/${uids[i % uids.length]}`;
    };
    // Warm-up: views compiled, SQLite pages cached.
    await drive(clients, 200, () => `${base}/inbox`);
    await drive(clients, 100, (c, i) => `${base}/search?q=${encodeURIComponent(words[i % words.length]!)}`);
    await drive(clients, 100, readUrl);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
    const idleRssMb = Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;

    const inbox = await drive(clients, REQUESTS, () => `${base}/inbox`);
    const search = await drive(
      clients,
      REQUESTS,
      (_c, i) => `${base}/search?q=${encodeURIComponent(words[i % words.length]!)}`,
    );
    const read = await drive(clients, REQUESTS, readUrl);

    const client = clients[0]!;
    const html = Buffer.from(
      await (await fetch(`${base}/inbox`, { headers: { cookie: client.cookie } })).arrayBuffer(),
    );
    const assets = [...html.toString().matchAll(/(?:href|src)="(\/static\/[^"]+)"/g)].map((m) => m[1]!);
    let gzBytes = gzipSync(html).length;
    for (const asset of assets)
      gzBytes += gzipSync(Buffer.from(await (await fetch(`${base}${asset}`)).arrayBuffer())).length;

    const round = (value: number) => Math.round(value * 10) / 10;
    const result = {
      inbox_p95_ms: round(percentile(inbox, 95)),
      search_p95_ms: round(percentile(search, 95)),
      read_p95_ms: round(percentile(read, 95)),
      idle_rss_mb: round(idleRssMb),
      inbox_page_gz_kb: round(gzBytes / 1024),
      machine: `${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}; ${USERS} users, ${EMAILS} emails, ${CLIENTS} clients, ${REQUESTS} requests per route; load average ${loadBefore} before the run, ${os.loadavg()[0]!.toFixed(1)} after; server: node ${nodeArgs.join(' ')} dist/lokole.js`,
    };
    await mkdir(path.join(ROOT, 'bench/results'), { recursive: true });
    await writeFile(path.join(ROOT, 'bench/results/webmail.json'), `${JSON.stringify(result, null, 2)}\n`);
    const targets: [keyof typeof result, number][] = [
      ['inbox_p95_ms', 50],
      ['search_p95_ms', 150],
      ['read_p95_ms', 50],
      ['idle_rss_mb', 80],
      ['inbox_page_gz_kb', 60],
    ];
    for (const [key, limit] of targets) {
      const value = result[key] as number;
      console.log(`${value <= limit ? 'PASS' : 'MISS'} ${key} = ${value} (target < ${limit})`);
    }
    console.log(`assets in the inbox page: ${assets.join(', ')}`);
  } finally {
    child.kill('SIGTERM');
  }
}

await main();
