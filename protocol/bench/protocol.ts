import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { generateMail, loadRealMail, type GeneratedMail } from '../src/generate/index.js';
import {
  attachmentsFromMap,
  sha256Hex,
  validatePackage,
  writePackage,
  writePackageV1,
  type AttachmentSource,
  type Compression,
  type Email,
} from '../src/index.js';

/**
 * Measures the package format against the targets of protocol.md and
 * notes/bandwidth.md, writes bench/results/protocol.json at the repository
 * root and prints a table. It reports; it never fails the build. Fixed seeds,
 * so runs compare. text1000 is real ham from the SpamAssassin corpus:
 * generated text compresses 2–3× better than real mail and flatters the
 * format; its figures stay under generated_* for comparison.
 */

const PROTOCOL = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = fileURLToPath(new URL('../../bench/results/protocol.json', import.meta.url));
const RUNS = 5;
const MB = 1024 * 1024;
const BIG_BYTES = 100 * MB;
// A fixed creation time, so that the same mail gives the same package bytes on every run.
const CREATED = '2026-11-02T06:00:00Z';

const execFileAsync = promisify(execFile);

/** A destination that throws the bytes away, so a build is timed without the disk. */
class CountingSink extends Writable {
  bytes = 0;
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.bytes += chunk.length;
    callback();
  }
}

class BufferSink extends Writable {
  private readonly parts: Buffer[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.parts.push(chunk);
    callback();
  }
  get buffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}

interface MailSet {
  emails: Email[];
  attachments: AttachmentSource;
  attachmentBytes: number;
  distinctAttachments: number;
}

async function generateSet(
  seed: number,
  count: number,
  attachments: 'none' | 'day',
): Promise<MailSet & { blobs: Map<string, Buffer> }> {
  return toMailSet(await generateMail({ seed, count, attachments }));
}

function toMailSet({ emails, blobs }: GeneratedMail): MailSet & { blobs: Map<string, Buffer> } {
  let attachmentBytes = 0;
  for (const bytes of blobs.values()) attachmentBytes += bytes.length;
  return {
    emails,
    blobs,
    attachments: attachmentsFromMap(blobs),
    attachmentBytes,
    distinctAttachments: blobs.size,
  };
}

async function writeV2(
  set: MailSet,
  destination: Writable,
  compression: Compression = 'br',
): Promise<number> {
  const contents = {
    kind: 'download' as const,
    device: 'bench',
    created: new Date(CREATED),
    emails: set.emails,
    attachments: set.attachments,
  };
  return (await writePackage(contents, destination, { compression })).bytes;
}

async function writeV1(set: MailSet, destination: Writable): Promise<number> {
  return writePackageV1({ emails: set.emails, attachments: set.attachments }, destination, {
    compression: 'gzip',
    created: new Date(CREATED),
  });
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/** The median of several runs: one slow run (a GC, a disk flush) does not move it. */
async function medianMs(run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await timed(run));
  times.sort((a, b) => a - b);
  return times[Math.floor(RUNS / 2)]!;
}

/** Changes a few leading bytes, so each copy of a day's file is a new content with a new hash. */
function vary(bytes: Buffer, copy: number): Buffer {
  if (copy === 0 || bytes.length === 0) return bytes;
  const varied = Buffer.from(bytes);
  for (let i = 0; i < Math.min(8, varied.length); i++) varied[i]! ^= (copy * 37 + i) & 0xff || 1;
  return varied;
}

/**
 * About 100 MB of distinct mail: copies of a generated day, each with its own
 * uids and its own attachment contents (varied on demand, not held in memory).
 */
function makeBigSet(day: MailSet & { blobs: Map<string, Buffer> }): MailSet {
  const copies = Math.max(1, Math.round(BIG_BYTES / Math.max(1, day.attachmentBytes)));
  const origin = new Map<string, { sha256: string; copy: number }>();
  const emails: Email[] = [];
  for (let copy = 0; copy < copies; copy++) {
    const renamed = new Map<string, string>();
    for (const [sha256, bytes] of day.blobs) {
      const name = copy === 0 ? sha256 : sha256Hex(vary(bytes, copy));
      renamed.set(sha256, name);
      if (!origin.has(name)) origin.set(name, { sha256, copy });
    }
    for (const email of day.emails) {
      emails.push({
        ...email,
        _uid: copy === 0 ? email._uid : `${email._uid}.${copy}`,
        attachments: email.attachments.map((attachment) => ({
          ...attachment,
          sha256: renamed.get(attachment.sha256) ?? attachment.sha256,
          ...(attachment.preview ? { preview: renamed.get(attachment.preview) ?? attachment.preview } : {}),
        })),
      });
    }
  }
  const fromDay = attachmentsFromMap(day.blobs);
  return {
    emails,
    attachments: async (sha256) => {
      const found = origin.get(sha256);
      if (!found) return fromDay(sha256);
      return vary(day.blobs.get(found.sha256)!, found.copy);
    },
    attachmentBytes: day.attachmentBytes * copies,
    distinctAttachments: origin.size,
  };
}

interface ChildReport {
  ms: number;
  peakRssMb: number;
  /** getrusage's figure, inflated by the parent's size at fork on Linux: kept for comparison. */
  maxRssMb: number;
  baselineRssMb: number;
  emails: number;
  attachments: number;
  attachmentBytes: number;
}

/** Parses `file` in a fresh process, whose peak RSS is then the reader's alone. */
async function parseInChild(file: string): Promise<ChildReport> {
  const { stdout } = await execFileAsync(
    process.execPath,
    ['--import', 'tsx', path.join('bench', 'parse-package.ts'), file],
    {
      cwd: PROTOCOL,
    },
  );
  return JSON.parse(stdout) as ChildReport;
}

function describeMachine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} cores, Node ${process.version}`;
}

const round = (value: number, digits = 1): number => Number(value.toFixed(digits));
const withCommas = (value: number): string => value.toLocaleString('en-US');

async function measure(folder: string): Promise<Record<string, number | string>> {
  const step = (what: string) => console.error(`… ${what}`);

  step('text1000: loading 1,000 real ham emails (seed 1)');
  const real = await loadRealMail({ count: 1000, seed: 1 });
  const skipped = Object.values(real.skipped).reduce((sum, n) => sum + n, 0);
  step(`text1000: skipped ${skipped} messages whose addresses do not fit: ${JSON.stringify(real.skipped)}`);
  const text = toMailSet(real);
  const text1000Jsonl = Buffer.byteLength(text.emails.map((email) => `${JSON.stringify(email)}\n`).join(''));
  const text1000V2 = await writeV2(text, new CountingSink());
  const text1000V2Gzip = await writeV2(text, new CountingSink(), 'gzip');
  const text1000V1 = await writeV1(text, new CountingSink());

  step('generated text1000: generating 1,000 text emails (seed 1)');
  const generated = await generateSet(1, 1000, 'none');
  const generatedText1000V2 = await writeV2(generated, new CountingSink());
  const generatedText1000V1 = await writeV1(generated, new CountingSink());

  step('day: generating 200 emails with the attachments of a typical day (seed 2)');
  const day = await generateSet(2, 200, 'day');
  const dayV2Sink = new BufferSink();
  const dayV2 = await writeV2(day, dayV2Sink);
  const dayV2Buffer = dayV2Sink.buffer;
  const dayV2Gzip = await writeV2(day, new CountingSink(), 'gzip');
  const dayV1Sink = new BufferSink();
  const dayV1BuildMs = await timed(() => writeV1(day, dayV1Sink));
  const dayV1Buffer = dayV1Sink.buffer;

  step(`day: building version 2 ${RUNS} times`);
  const dayBuildMs = await medianMs(() => writeV2(day, new CountingSink()));
  step(`day: parsing version 2 ${RUNS} times`);
  const dayParseMs = await medianMs(() => validatePackage([dayV2Buffer]));
  step(`day: parsing version 1 ${RUNS} times`);
  const dayV1ParseMs = await medianMs(() => validatePackage([dayV1Buffer]));

  const dayFile = path.join(folder, 'day.tar');
  await writeFile(dayFile, dayV2Buffer);
  step('day: parsing the file in a separate process');
  const dayChild = await parseInChild(dayFile);

  step('big: writing about 100 MB of distinct mail to a temporary file');
  const big = makeBigSet(day);
  const bigFile = path.join(folder, 'big.tar');
  let bigBytes = 0;
  const bigBuildMs = await timed(async () => {
    bigBytes = await writeV2(big, createWriteStream(bigFile));
  });
  step('big: parsing the file in a separate process');
  const bigChild = await parseInChild(bigFile);

  return {
    day_build_ms: round(dayBuildMs),
    day_parse_ms: round(dayParseMs),
    day_v2_bytes: dayV2,
    day_v1_gzip_bytes: dayV1Buffer.length,
    text1000_v2_bytes: text1000V2,
    text1000_v1_gzip_bytes: text1000V1,
    text1000_jsonl_bytes: text1000Jsonl,
    text1000_skipped: skipped,
    generated_text1000_v2_bytes: generatedText1000V2,
    generated_text1000_v1_gzip_bytes: generatedText1000V1,
    big_parse_peak_rss_mb: round(bigChild.peakRssMb),
    machine: describeMachine(),
    text1000_v2_gzip_bytes: text1000V2Gzip,
    day_v2_gzip_bytes: dayV2Gzip,
    day_emails: day.emails.length,
    day_attachment_bytes: day.attachmentBytes,
    day_distinct_attachments: day.distinctAttachments,
    day_v1_gzip_build_ms: round(dayV1BuildMs),
    day_v1_gzip_parse_ms: round(dayV1ParseMs),
    day_parse_file_ms: round(dayChild.ms),
    day_parse_peak_rss_mb: round(dayChild.peakRssMb),
    parse_baseline_rss_mb: round(Math.min(dayChild.baselineRssMb, bigChild.baselineRssMb)),
    big_v2_bytes: bigBytes,
    big_emails: bigChild.emails,
    big_attachments: bigChild.attachments,
    big_build_ms: round(bigBuildMs),
    big_parse_ms: round(bigChild.ms),
    big_parse_getrusage_max_rss_mb: round(bigChild.maxRssMb),
    runs: RUNS,
  };
}

function printTable(results: Record<string, number | string>): void {
  const n = (key: string) => results[key] as number;
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  const textRatio = n('text1000_v2_bytes') / n('text1000_v1_gzip_bytes');
  const generatedRatio = n('generated_text1000_v2_bytes') / n('generated_text1000_v1_gzip_bytes');
  const dayRatio = n('day_v2_bytes') / n('day_v1_gzip_bytes');
  const rows: [string, string, string, string][] = [
    ['text1000 JSONL (real ham)', `${withCommas(n('text1000_jsonl_bytes'))} B`, '', ''],
    ['text1000 v2 (br)', `${withCommas(n('text1000_v2_bytes'))} B`, '', ''],
    ['text1000 v2 (gzip)', `${withCommas(n('text1000_v2_gzip_bytes'))} B`, '', ''],
    ['text1000 v1 .tar.gz', `${withCommas(n('text1000_v1_gzip_bytes'))} B`, '', ''],
    ['text1000 v2 / v1', textRatio.toFixed(3), '<= 1', verdict(textRatio <= 1)],
    ['generated text1000 v2 (br)', `${withCommas(n('generated_text1000_v2_bytes'))} B`, '', ''],
    ['generated text1000 v1 .tar.gz', `${withCommas(n('generated_text1000_v1_gzip_bytes'))} B`, '', ''],
    ['generated text1000 v2 / v1', generatedRatio.toFixed(3), '', ''],
    ['day v2 (br)', `${withCommas(n('day_v2_bytes'))} B`, '', ''],
    ['day v1 .tar.gz', `${withCommas(n('day_v1_gzip_bytes'))} B`, '', ''],
    ['day v2 / v1', dayRatio.toFixed(3), '<= 0.85', verdict(dayRatio <= 0.85)],
    ['day build v2 (median)', `${n('day_build_ms')} ms`, '< 1000 ms', verdict(n('day_build_ms') < 1000)],
    ['day parse v2 (median)', `${n('day_parse_ms')} ms`, '< 200 ms', verdict(n('day_parse_ms') < 200)],
    ['day parse v1 (median)', `${n('day_v1_gzip_parse_ms')} ms`, '', ''],
    ['day parse from file, peak RSS', `${n('day_parse_peak_rss_mb')} MB`, '', ''],
    ['big v2', `${withCommas(n('big_v2_bytes'))} B`, '', ''],
    ['big parse from file', `${n('big_parse_ms')} ms`, '', ''],
    [
      'big parse, peak RSS',
      `${n('big_parse_peak_rss_mb')} MB`,
      '< 200 MB',
      verdict(n('big_parse_peak_rss_mb') < 200),
    ],
  ];
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
  console.log(`Lokole protocol benchmark: ${results.machine}`);
  console.log(`(parse RSS includes ${results.parse_baseline_rss_mb} MB for node and tsx before reading)\n`);
  for (const [label, value, target, result] of rows) {
    console.log(
      `${label.padEnd(widths[0]!)}  ${value.padStart(widths[1]!)}  ${target.padEnd(widths[2]!)}  ${result}`.trimEnd(),
    );
  }
  console.log(`\nwritten to ${RESULTS}`);
}

const folder = await mkdtemp(path.join(os.tmpdir(), 'lokole-bench-'));
try {
  const results = await measure(folder);
  await mkdir(path.dirname(RESULTS), { recursive: true });
  await writeFile(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  printTable(results);
} finally {
  await rm(folder, { recursive: true, force: true });
}
