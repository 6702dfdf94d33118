import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { normalizeAddress } from '@lokole/protocol';
import { HashingLimiter } from './limit.js';
import { parseMessage } from './parse.js';
import { attachmentKey, type BlobStore, type Envelope, type InboundSource, type MailStore } from './ports.js';
import type { ServiceMailboxes } from './services/index.js';

export interface InboundDeps {
  readonly store: MailStore;
  readonly blobs: BlobStore;
  readonly rootDomain: string;
  readonly mailboxes: ServiceMailboxes;
  readonly maxMessageBytes: number;
  readonly now: () => Date;
  readonly log: Logger;
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}

/**
 * Mail from the internet: `receive` stores the raw message durably and enqueues its parsing
 * (the caller answers 250/2xx only after it resolves); `process` parses, stores the email once
 * (its `_uid` is the sha256 of the raw message) and queues it for every addressed device.
 */
export function createInbound(deps: InboundDeps) {
  const { store, blobs, mailboxes, maxMessageBytes, now, log } = deps;
  const postmaster = `postmaster@${deps.rootDomain}`;
  const INLINE_BYTES = 256 * 1024;
  const knownDomains = new Map<string, { known: boolean; until: number }>();
  const DOMAIN_CACHE_MS = 5000;

  return {
    /** True when the cloud takes mail for this address: a device's domain or a service mailbox. */
    async acceptsRecipient(address: string): Promise<boolean> {
      const normal = normalizeAddress(address);
      if (mailboxes.find(normal)) return true;
      const domain = domainOf(normal);
      const cached = knownDomains.get(domain);
      if (cached && cached.until > now().getTime()) return cached.known;
      const known = (await store.findDevicesByDomains([domain])).length > 0;
      // A few seconds of caching spares a query per RCPT TO under load; a new device's first
      // mail may be refused with 550 for that long, which sending servers do not retry… so
      // only known domains are cached.
      if (known) knownDomains.set(domain, { known, until: now().getTime() + DOMAIN_CACHE_MS });
      if (knownDomains.size > 10_000) knownDomains.clear();
      return known;
    },

    async receive(
      message: Readable,
      meta: { source: InboundSource; envelope: Envelope },
    ): Promise<{ id: string; sha256: string; size: number }> {
      const received = now();
      const id = randomUUID();
      const limiter = new HashingLimiter(maxMessageBytes);
      let blobKey: string | null = null;
      let raw: Buffer | null = null;
      // Most mail is small: it goes into the database row with its job, one commit and no blob
      // round trip. A message past INLINE_BYTES streams to blob storage as it arrives.
      const keep = async () => {
        const iterator = limiter[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
        const head: Buffer[] = [];
        let size = 0;
        for (;;) {
          const next = await iterator.next();
          if (next.done) {
            raw = Buffer.concat(head);
            return;
          }
          head.push(next.value);
          size += next.value.length;
          if (size > INLINE_BYTES) break;
        }
        blobKey = `inbound/${received.toISOString().slice(0, 10)}/${id}.eml`;
        const rest = Readable.from(
          (async function* () {
            yield* head;
            for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
          })(),
        );
        await blobs.put(blobKey, rest, { contentType: 'message/rfc822' });
      };
      const results = await Promise.allSettled([pipeline(message, limiter), keep()]);
      const failed = results.find((result) => result.status === 'rejected');
      if (failed) {
        if (blobKey) await blobs.delete(blobKey).catch(() => undefined);
        throw failed.reason;
      }
      const sha256 = limiter.digest();
      const envelope: Envelope = {
        from: meta.envelope.from ? normalizeAddress(meta.envelope.from) : null,
        to: [...new Set(meta.envelope.to.map(normalizeAddress))],
      };
      await store.transaction(async (tx) => {
        await tx.insertInbound({
          id,
          blobKey,
          raw,
          sha256,
          size: limiter.bytes,
          source: meta.source,
          envelope,
          receivedAt: received.toISOString(),
          state: 'stored',
        });
        await tx.enqueue('parse-inbound', { id });
      });
      log.debug(
        { id, sha256, bytes: limiter.bytes, source: meta.source, inline: raw !== null },
        'message stored',
      );
      return { id, sha256, size: limiter.bytes };
    },

    /** Idempotent: the same raw message, or the same job run twice, stores the email once. */
    async process(id: string): Promise<{ emailId: string; devices: number } | undefined> {
      const record = await store.findInbound(id);
      if (!record) {
        log.warn({ id }, 'inbound message row is gone; nothing to parse');
        return undefined;
      }
      // A duplicate is parsed again (it is rare) and then stored as nothing new.
      const parsed = await parseMessage(record.raw ?? (await blobs.get(record.blobKey!)), {
        uid: record.sha256,
        receivedAt: new Date(record.receivedAt),
        fallbackFrom: record.envelope.from ?? postmaster,
      });
      const { email } = parsed;
      const seen = new Set<string>();
      for (const { ref, content } of parsed.attachments) {
        if (seen.has(ref.sha256)) continue;
        seen.add(ref.sha256);
        const key = attachmentKey(ref.sha256);
        if (!(await blobs.exists(key))) await blobs.put(key, content, { contentType: ref.type });
      }

      // The envelope is who the message was delivered to (a Bcc shows only there); the headers
      // are the fallback for a webhook that gave no envelope.
      const recipients = record.envelope.to.length > 0 ? record.envelope.to : [...email.to, ...email.cc];
      const domains = [...new Set(recipients.map(domainOf))];
      const devices = await store.findDevicesByDomains(domains);
      const services = recipients.filter((address) => mailboxes.find(address));

      const size = Buffer.byteLength(email.body) + parsed.attachments.reduce((sum, a) => sum + a.ref.size, 0);
      const isNew = await store.transaction(async (tx) => {
        const inserted = await tx.insertEmail({
          email,
          origin: 'inbound',
          deviceId: null,
          size,
          createdAt: now().toISOString(),
        });
        await tx.queueForDevices(
          email._uid,
          devices.map((device) => device.id),
          now(),
        );
        for (const address of services) await tx.enqueue('service-mail', { emailId: email._uid, address });
        await tx.markInbound(id, 'parsed', { emailId: email._uid });
        return inserted;
      });
      log.info({ id, emailId: email._uid, devices: devices.length, duplicate: !isNew }, 'message routed');
      return { emailId: email._uid, devices: devices.length };
    },
  };
}

export type Inbound = ReturnType<typeof createInbound>;
