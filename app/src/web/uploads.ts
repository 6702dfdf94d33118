import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import busboy from 'busboy';
import { LokoleError } from '@lokole/protocol';

export interface UploadedFile {
  tempPath: string;
  filename: string;
  type: string;
  size: number;
}

export interface ParsedForm {
  fields: Map<string, string[]>;
  files: UploadedFile[];
  /** The files passed a limit: none were kept, the fields were. */
  isTooLarge: boolean;
}

export interface UploadLimits {
  /** All files of one form together. */
  maxTotalBytes: number;
  maxFiles: number;
}

export async function removeUploads(files: UploadedFile[]): Promise<void> {
  await Promise.all(files.map((file) => rm(file.tempPath, { force: true })));
}

/**
 * Reads a multipart form, streaming files to temp files. When the files pass
 * the limit, the rest of the request is read and dropped (so the browser
 * gets our answer, not a reset connection) and every temp file is removed:
 * nothing is half-saved.
 */
export async function parseMultipart(
  req: Request,
  tempPath: () => string,
  limits: UploadLimits,
): Promise<ParsedForm> {
  const fields = new Map<string, string[]>();
  const files: UploadedFile[] = [];
  const writes: Promise<void>[] = [];
  let total = 0;
  let isTooLarge = false;
  let tooMany = false;
  await mkdir(path.dirname(tempPath()), { recursive: true });

  try {
    await new Promise<void>((resolve, reject) => {
      let parser: busboy.Busboy;
      try {
        parser = busboy({
          headers: req.headers,
          defParamCharset: 'utf8',
          limits: {
            fieldSize: 2 * 1024 * 1024,
            fields: 100,
            files: limits.maxFiles,
            fileSize: limits.maxTotalBytes + 1,
          },
        });
      } catch (error) {
        reject(
          new LokoleError('INVALID_INPUT', `Not a multipart form: ${(error as Error).message}`, {
            cause: error,
          }),
        );
        return;
      }
      parser.on('field', (name, value) => {
        fields.set(name, [...(fields.get(name) ?? []), value]);
      });
      parser.on('filesLimit', () => {
        tooMany = true;
      });
      parser.on('file', (_name, stream, info) => {
        if (!info.filename || isTooLarge) {
          stream.resume();
          return;
        }
        const file: UploadedFile = {
          tempPath: tempPath(),
          filename: path.basename(info.filename.replace(/\\/g, '/')).slice(0, 200) || 'attachment',
          type: info.mimeType || 'application/octet-stream',
          size: 0,
        };
        files.push(file);
        // Counts every byte; past the limit the bytes are dropped, and the rest of the form is still read.
        const counter = new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            file.size += chunk.length;
            total += chunk.length;
            if (total > limits.maxTotalBytes) isTooLarge = true;
            callback(null, isTooLarge ? undefined : chunk);
          },
        });
        writes.push(pipeline(stream, counter, createWriteStream(file.tempPath)));
      });
      parser.on('error', (error) =>
        reject(
          new LokoleError('INVALID_INPUT', `Bad multipart form: ${(error as Error).message}`, {
            cause: error,
          }),
        ),
      );
      parser.on('close', () => resolve());
      req.pipe(parser);
    });
    await Promise.all(writes);
    const nonEmpty = files.filter((file) => file.size > 0);
    await removeUploads(files.filter((file) => file.size === 0));
    if (isTooLarge || tooMany) {
      await removeUploads(nonEmpty);
      return { fields, files: [], isTooLarge: true };
    }
    return { fields, files: nonEmpty, isTooLarge: false };
  } catch (error) {
    await Promise.all(writes.map((write) => write.catch(() => undefined)));
    await removeUploads(files);
    throw error;
  }
}
