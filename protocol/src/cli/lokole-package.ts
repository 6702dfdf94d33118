import { once } from 'node:events';
import type { ReadStream, WriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import {
  convertPackage,
  validatePackage,
  type AttachmentRequest,
  type DeliveryReport,
  type Email,
  type PackageCounts,
  type PackageInfo,
  type PackageKind,
  type PackageUser,
} from '../index.js';
import { CommandError, commandExitCode, EXIT, type ExitCode } from './exit-codes.js';

const USAGE = `Usage: lokole-package <command> [options]

Checks and converts Lokole sync packages.

Commands:
  inspect FILE [--json]       read the whole package, checking every limit and hash,
                              and list what it holds (--json: one JSON document)
  convert --to 1|2 IN OUT     convert between version 1 (.tar.gz, .tar.zst) and version 2;
                              OUT appears only once it is complete
      --device ID             device id for the manifest when IN is version 1
      --kind upload|download  kind for the manifest when IN is version 1
                              (default: upload when it carries users, else download)
      --zstd                  with --to 1: compress with zstd instead of gzip

Options:
  -h, --help                  show this text

Exit codes: 0 done, 64 bad command line, 65 package rejected, 66 input missing,
69 not possible on this machine (zstd), 73 output not writable, 1 a bug.`;

const WIDTH = 100;

function usageError(message: string): CommandError {
  return new CommandError(EXIT.usage, `${message}\nRun "lokole-package --help" for usage.`);
}

/** parseArgs throws plain TypeErrors; those are the caller's mistakes, not bugs. */
function parse<T extends ParseArgsConfig['options']>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    if (String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS'))
      throw usageError((error as Error).message);
    throw error;
  }
}

/** Opens `file` now, so that a missing input is told apart from a damaged one. */
async function openInput(file: string): Promise<ReadStream> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'there is no such file' : code === 'EACCES' ? 'permission denied' : undefined;
    if (why) throw new CommandError(EXIT.noInput, `Cannot read ${file}: ${why}.`, { cause: error });
    throw error;
  }
  if (!(await handle.stat()).isFile()) {
    await handle.close();
    throw new CommandError(EXIT.noInput, `Cannot read ${file}: it is not a file.`);
  }
  return handle.createReadStream();
}

export function formatSize(bytes: number): string {
  const units = ['KiB', 'MiB', 'GiB'];
  if (bytes < 1024) return `${bytes} B`;
  let value = bytes;
  let unit = 'B';
  for (const next of units) {
    if (value < 1024) break;
    value /= 1024;
    unit = next;
  }
  return `${value.toFixed(1).replace(/\.0$/, '')} ${unit}`;
}

/** Cuts `text` to `width` characters (code points, so no emoji is split), marking the cut. */
function truncate(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, width - 1).join('')}…`;
}

/** A subject is the peer's text: a newline or a control character in it must not break the listing. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim();
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function describeEmail(email: Email): string[] {
  const to = truncate([...email.to, ...email.cc, ...email.bcc].join(', ') || '(no recipient)', 40);
  const head = `${email._uid}  ${email.from} -> ${to}`;
  const subject = oneLine(email.subject) || '(no subject)';
  const lines = [`${head}  ${truncate(subject, Math.max(20, WIDTH - head.length - 2))}`];
  for (const attachment of email.attachments) {
    const held = attachment.deferred ? ', held back' : '';
    lines.push(`    ${truncate(oneLine(attachment.filename), 60)}  ${formatSize(attachment.size)}${held}`);
  }
  return lines;
}

interface Inspection {
  info: PackageInfo;
  counts: PackageCounts;
  attachments: { sha256: string; size: number }[];
  users: PackageUser[];
  reports: DeliveryReport[];
  requests: AttachmentRequest[];
}

/** Reads the whole package, so that every check runs; attachment bytes are hashed and dropped. */
async function inspectPackage(file: string, onEmail: (email: Email) => void): Promise<Inspection> {
  const source = await openInput(file);
  try {
    const found: Omit<Inspection, 'info' | 'counts'> = {
      attachments: [],
      users: [],
      reports: [],
      requests: [],
    };
    const { info, counts } = await validatePackage(source, {
      onItem: (item) => {
        if (item.type === 'email') onEmail(item.email);
        else if (item.type === 'user') found.users.push(item.user);
        else if (item.type === 'report') found.reports.push(item.report);
        else if (item.type === 'request') found.requests.push(item.request);
        else if (item.type === 'attachment') found.attachments.push({ sha256: item.sha256, size: item.size });
      },
    });
    return { info, counts, ...found };
  } finally {
    source.destroy();
  }
}

function describePackage(file: string, { info, counts, attachments }: Inspection): string[] {
  const lines: string[] = [];
  if (info.version === 1) {
    const how = info.compression === 'none' ? 'not compressed' : `compressed with ${info.compression}`;
    lines.push(`${file}: version 1 (original Lokole), ${how}`);
  } else {
    lines.push(`${file}: version 2, text compressed with ${info.compression}`);
    const manifest = info.manifest!;
    lines.push(`manifest: ${manifest.kind} of device ${manifest.device}, created ${manifest.created}`);
  }
  const attachmentBytes = attachments.reduce((sum, attachment) => sum + attachment.size, 0);
  lines.push(
    [
      plural(counts.emails, 'email'),
      `${plural(counts.attachments, 'attachment')} (${formatSize(attachmentBytes)})`,
      plural(counts.users, 'user'),
      plural(counts.reports, 'report'),
      plural(counts.requests, 'request'),
    ].join(', '),
  );
  return lines;
}

async function inspect(args: string[]): Promise<ExitCode> {
  const { values, positionals } = parse(args, {
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return help();
  if (positionals.length !== 1) throw usageError('inspect takes one package file.');
  const file = positionals[0]!;
  if (values.json) {
    // One document, so a script gets all of it or, for a rejected package, nothing.
    const emails: Email[] = [];
    const { info, counts, attachments, users, reports, requests } = await inspectPackage(file, (email) =>
      emails.push(email),
    );
    console.log(JSON.stringify({ info, counts, emails, attachments, users, reports, requests }, null, 2));
    return EXIT.ok;
  }
  // Keep only the listing, not the bodies: a package may hold a hundred thousand emails.
  const listing: string[] = [];
  const inspection = await inspectPackage(file, (email) => listing.push(...describeEmail(email)));
  console.log(
    [...describePackage(file, inspection), ...(listing.length > 0 ? ['', ...listing] : [])].join('\n'),
  );
  return EXIT.ok;
}

async function closed(stream: WriteStream): Promise<void> {
  if (!stream.closed) await once(stream, 'close').catch(() => {});
}

async function convert(args: string[]): Promise<ExitCode> {
  const { values, positionals } = parse(args, {
    to: { type: 'string' },
    device: { type: 'string' },
    kind: { type: 'string' },
    zstd: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return help();
  if (positionals.length !== 2) throw usageError('convert takes an input and an output file.');
  if (values.to !== '1' && values.to !== '2') throw usageError('convert needs --to 1 or --to 2.');
  const to = values.to === '1' ? 1 : 2;
  if (values.kind !== undefined && values.kind !== 'upload' && values.kind !== 'download') {
    throw usageError(`--kind must be upload or download, not ${JSON.stringify(values.kind)}.`);
  }
  if (values.zstd && to !== 1) throw usageError('--zstd applies to version 1 output only (--to 1).');
  if (values.device === '') throw usageError('--device needs a device id.');
  const [input, output] = positionals as [string, string];

  const source = await openInput(input);
  // Written beside OUT and renamed when complete, so OUT is never a half package, even after a power cut.
  const temp = `${output}.tmp-${process.pid}`;
  let destination: WriteStream;
  try {
    destination = (await open(temp, 'wx')).createWriteStream({ flush: true });
  } catch (error) {
    source.destroy();
    throw new CommandError(EXIT.cantCreate, `Cannot write ${output}: ${(error as Error).message}.`, {
      cause: error,
    });
  }
  try {
    const bytes = await convertPackage(source, destination, {
      to,
      ...(values.kind ? { kind: values.kind as PackageKind } : {}),
      ...(values.device ? { device: values.device } : {}),
      ...(values.zstd ? { v1Compression: 'zstd' as const } : {}),
    });
    if (!destination.writableEnded) destination.end();
    await closed(destination);
    await rename(temp, output);
    console.log(`wrote ${output}: ${bytes} bytes, version ${to}`);
    return EXIT.ok;
  } catch (error) {
    destination.destroy();
    await closed(destination);
    await rm(temp, { force: true });
    throw error;
  } finally {
    source.destroy();
  }
}

function help(): ExitCode {
  console.log(USAGE);
  return EXIT.ok;
}

const COMMANDS: Record<string, (args: string[]) => Promise<ExitCode>> = { inspect, convert };

/** Runs one command and returns its exit code; the caller sets it, so tests can call this directly. */
export async function main(argv: string[]): Promise<number> {
  try {
    const [command, ...args] = argv;
    if (command === undefined || command === '--help' || command === '-h' || command === 'help')
      return help();
    // hasOwn: "constructor" or "toString" must not reach Object.prototype.
    if (!Object.hasOwn(COMMANDS, command)) throw usageError(`Unknown command ${JSON.stringify(command)}.`);
    return await COMMANDS[command]!(args);
  } catch (error) {
    const code = commandExitCode(error);
    if (code === EXIT.software) {
      console.error(
        'lokole-package: unexpected failure; this is a bug, please report it with the details below.',
      );
      console.error(error);
    } else {
      console.error(`lokole-package: ${(error as Error).message}`);
    }
    return code;
  }
}
