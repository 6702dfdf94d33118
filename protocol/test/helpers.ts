import { PassThrough, type Writable } from 'node:stream';
import zlib from 'node:zlib';
import tarStream from 'tar-stream';
import {
  attachmentsFromMap,
  readPackage,
  sha256Hex,
  writePackage,
  type EmailInput,
  type PackageContents,
  type PackageItem,
  type ReadOptions,
  type WriteOptions,
} from '../src/index.js';

/** Runs a writer into memory and returns what it wrote. */
export async function collectBytes(write: (out: Writable) => Promise<unknown>): Promise<Buffer> {
  const out = new PassThrough();
  const parts: Buffer[] = [];
  out.on('data', (chunk: Buffer) => parts.push(chunk));
  await write(out);
  return Buffer.concat(parts);
}

export type ReadResult = {
  items: Exclude<PackageItem, { type: 'attachment' }>[];
  attachments: Map<string, Buffer>;
};

/** Reads a package whole, attachment bytes included. */
export async function readAll(bytes: Buffer | Buffer[], options?: ReadOptions): Promise<ReadResult> {
  const items: ReadResult['items'] = [];
  const attachments = new Map<string, Buffer>();
  for await (const item of readPackage(Array.isArray(bytes) ? bytes : [bytes], options)) {
    if (item.type === 'attachment') {
      const parts: Buffer[] = [];
      for await (const chunk of item.content) parts.push(chunk);
      attachments.set(item.sha256, Buffer.concat(parts));
    } else items.push(item);
  }
  return { items, attachments };
}

export function emailsOf(result: ReadResult) {
  return result.items.flatMap((item) => (item.type === 'email' ? [item.email] : []));
}

export const PHOTO = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 251));
export const PDF = Buffer.from('%PDF-1.4\n' + 'x'.repeat(3000) + '\n%%EOF\n');

export function sampleEmails(count = 3): EmailInput[] {
  return Array.from({ length: count }, (_, i) => ({
    _uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    sent_at: `2026-11-02 06:${String(i % 60).padStart(2, '0')}`,
    to: ['ana.mbuyi@kinshasa.lokole.ca'],
    cc: i % 2 ? ['jean@example.org'] : [],
    bcc: [],
    from: 'papa.kabila@example.org',
    subject: `Mbote ${i}`,
    body: `<p>Bonjour, ndeko ${i} — ça va ?</p>`,
    attachments:
      i === 0
        ? [
            { filename: 'photo.jpg', type: 'image/jpeg', size: PHOTO.length, sha256: sha256Hex(PHOTO) },
            { filename: 'doc.pdf', type: 'application/pdf', size: PDF.length, sha256: sha256Hex(PDF) },
          ]
        : i === 1
          ? [{ filename: 'same-photo.jpg', type: 'image/jpeg', size: PHOTO.length, sha256: sha256Hex(PHOTO) }]
          : [],
  }));
}

export const SAMPLE_BLOBS = new Map([
  [sha256Hex(PHOTO), PHOTO],
  [sha256Hex(PDF), PDF],
]);

export function writeSample(
  overrides: Partial<PackageContents> = {},
  options?: WriteOptions,
): Promise<Buffer> {
  return collectBytes((out) =>
    writePackage(
      {
        kind: 'download',
        device: 'kinshasa',
        created: new Date('2026-11-02T07:00:00Z'),
        emails: sampleEmails(),
        attachments: attachmentsFromMap(SAMPLE_BLOBS),
        ...overrides,
      },
      out,
      options,
    ),
  );
}

export interface RawMember {
  name: string;
  content: Buffer | string;
  type?: 'file' | 'symlink' | 'directory';
}

/** A tar with exactly these members, for packages no writer of ours would make. */
export function rawTar(members: RawMember[]): Promise<Buffer> {
  const pack = tarStream.pack();
  for (const member of members) {
    const content = Buffer.from(member.content);
    if (member.type && member.type !== 'file')
      pack.entry({ name: member.name, type: member.type, linkname: 'x' });
    else pack.entry({ name: member.name, size: content.length }, content);
  }
  pack.finalize();
  return collectBytes(async (out) => {
    for await (const chunk of pack) out.write(chunk);
    out.end();
  });
}

export const brotli = (text: string | Buffer): Buffer => zlib.brotliCompressSync(text);

export function manifestOf(
  counts: Partial<Record<'emails' | 'users' | 'reports' | 'requests' | 'attachments', number>>,
  extra = {},
) {
  return JSON.stringify({
    format: 'lokole',
    version: 2,
    kind: 'upload',
    device: 'kinshasa',
    created: '2026-11-02T07:00:00.000Z',
    counts: { emails: 0, users: 0, reports: 0, requests: 0, attachments: 0, ...counts },
    compression: 'br',
    ...extra,
  });
}

export function jsonl(records: unknown[]): string {
  return records.map((record) => JSON.stringify(record)).join('\n') + '\n';
}
