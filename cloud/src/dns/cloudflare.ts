import { LokoleError } from '@lokole/protocol';

/** The MX record of each device domain, kept in a Cloudflare zone (API v4). */
export interface DnsRecords {
  addMx(domain: string): Promise<void>;
  removeMx(domain: string): Promise<void>;
}

interface CloudflareResponse<T> {
  success: boolean;
  errors?: Array<{ code: number; message: string }>;
  result: T;
}

export function createCloudflareDns(options: {
  apiUrl: string;
  apiToken: string;
  zoneId: string;
  mxHost: string;
  fetch?: typeof fetch;
}): DnsRecords {
  const doFetch = options.fetch ?? fetch;
  const base = `${options.apiUrl}/zones/${encodeURIComponent(options.zoneId)}/dns_records`;

  async function call<T>(method: string, url: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await doFetch(url, {
        method,
        headers: { authorization: `Bearer ${options.apiToken}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      throw new LokoleError('UNAVAILABLE', `Cloudflare could not be reached: ${String(error)}`, {
        cause: error,
      });
    }
    const payload = (await response.json().catch(() => undefined)) as CloudflareResponse<T> | undefined;
    if (!response.ok || !payload?.success) {
      const errors = payload?.errors?.map((e) => `${e.code} ${e.message}`).join('; ') ?? '';
      throw new LokoleError(
        response.status === 429 || response.status >= 500 ? 'UNAVAILABLE' : 'BAD_CONFIG',
        `Cloudflare answered ${response.status} to ${method} ${url}: ${errors}. Check CLOUDFLARE_API_TOKEN (needs DNS edit) and CLOUDFLARE_ZONE_ID.`,
        { reason: 'cloudflare-error' },
      );
    }
    return payload.result;
  }

  async function find(domain: string): Promise<Array<{ id: string }>> {
    return call('GET', `${base}?type=MX&name=${encodeURIComponent(domain)}`);
  }

  return {
    async addMx(domain) {
      // Idempotent, since a retried job may run twice.
      if ((await find(domain)).length > 0) return;
      await call('POST', base, { type: 'MX', name: domain, content: options.mxHost, priority: 10, ttl: 1 });
    },
    async removeMx(domain) {
      for (const record of await find(domain)) await call('DELETE', `${base}/${record.id}`);
    },
  };
}
