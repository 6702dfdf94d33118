import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ExecutionContext } from 'ava';
import request from 'supertest';
import { loadConfig } from '../../src/config.js';
import { createDevice, type DeviceOptions } from '../../src/device.js';

export type Agent = ReturnType<typeof request.agent>;

/** The whole webmail over a fresh data dir, for supertest. */
export async function createTestDevice(
  t: ExecutionContext,
  env: Record<string, string> = {},
  options: DeviceOptions = {},
) {
  const dir = await mkdtemp(path.join(tmpdir(), 'lokole-web-'));
  const config = loadConfig({
    LOKOLE_DATA_DIR: dir,
    LOKOLE_DEVICE_NAME: 'kinshasa',
    LOKOLE_NEWS_SENDERS: 'editor@radio.cd',
    LOG_LEVEL: 'silent',
    LOKOLE_MAX_UPLOAD_MB: '2',
    ...env,
  });
  const device = await createDevice(config, { sessionCleanupMs: 0, ...options });
  t.teardown(async () => {
    await device.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** The CSRF token of a page the agent has (the hidden field, or the compose form's action). */
  async function csrf(agent: Agent, page = '/login'): Promise<string> {
    const response = await agent.get(page);
    const match = /name="_csrf" value="([^"]+)"/.exec(response.text) ?? /_csrf=([^"&]+)/.exec(response.text);
    if (!match) throw new Error(`no CSRF token on ${page} (status ${response.status})`);
    return decodeURIComponent(match[1]!);
  }

  async function logIn(name: string, password = 'correct horse'): Promise<Agent> {
    const agent = request.agent(device.app);
    const token = await csrf(agent);
    const response = await agent.post('/login').type('form').send({ _csrf: token, name, password });
    if (response.status !== 303) throw new Error(`log-in of ${name} failed: ${response.status}`);
    return agent;
  }

  return {
    ...device,
    config,
    dir,
    csrf,
    logIn,
    anonymous: () => request.agent(device.app),
    user: (name: string) => device.accounts.signUp(name, 'correct horse', 'correct horse'),
    admin: (name: string) => device.accounts.createAdmin(name, 'correct horse'),
  };
}

export type TestDevice = Awaited<ReturnType<typeof createTestDevice>>;
