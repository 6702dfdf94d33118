import { crc32, inflateRawSync, inflateSync } from 'node:zlib';

/**
 * Independent readers for what the generator writes, so the tests check the
 * files' structure rather than trusting the writers to agree with themselves.
 */

/** Everything wrong with a PDF's framing and cross-reference table; empty when sound. */
export function listPdfProblems(pdf: Buffer): string[] {
  const problems: string[] = [];
  const text = pdf.toString('latin1');
  if (!text.startsWith('%PDF-')) problems.push('does not start with %PDF-');
  if (!/%%EOF\s*$/.test(text)) problems.push('does not end with %%EOF');
  const startxref = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(text);
  if (!startxref) return [...problems, 'no startxref before %%EOF'];
  const xrefAt = Number(startxref[1]);
  if (text.slice(xrefAt, xrefAt + 4) !== 'xref')
    return [...problems, `startxref ${xrefAt} does not point at "xref"`];
  const head = /^xref\r?\n(\d+) (\d+)\r?\n/.exec(text.slice(xrefAt));
  if (!head) return [...problems, 'no subsection header after xref'];
  const first = Number(head[1]);
  const count = Number(head[2]);
  const entriesAt = xrefAt + head[0].length;
  for (let k = 0; k < count; k++) {
    const entry = text.slice(entriesAt + 20 * k, entriesAt + 20 * (k + 1));
    const match = /^(\d{10}) (\d{5}) ([nf])(?: \n|\r\n| \r)$/.exec(entry);
    if (!match) {
      problems.push(
        `xref entry ${first + k} is not 20 bytes of "oooooooooo ggggg n": ${JSON.stringify(entry)}`,
      );
      continue;
    }
    if (match[3] !== 'n') continue;
    const offset = Number(match[1]);
    const expected = `${first + k} ${Number(match[2])} obj`;
    if (text.slice(offset, offset + expected.length) !== expected) {
      problems.push(
        `xref entry ${first + k} points at ${JSON.stringify(text.slice(offset, offset + 12))}, not "${expected}"`,
      );
    }
  }
  const size = /trailer\s*<<[^]*?\/Size (\d+)/.exec(text.slice(xrefAt));
  if (!size || Number(size[1]) !== first + count)
    problems.push(`trailer /Size ${size?.[1]} does not match ${first + count} entries`);
  return problems;
}

/** The decoded content streams of a PDF's pages, in file order. */
export function readPdfContentStreams(pdf: Buffer): string[] {
  const text = pdf.toString('latin1');
  const streams: string[] = [];
  const pattern = /<< \/Filter \/FlateDecode \/Length (\d+) >>\nstream\n/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const start = match.index + match[0].length;
    streams.push(inflateSync(pdf.subarray(start, start + Number(match[1]))).toString('latin1'));
  }
  return streams;
}

export interface ZipEntry {
  name: string;
  data: Buffer;
}

/**
 * Reads a zip through its central directory, as unzip does, inflating each
 * entry and checking its CRC and sizes against both headers. Throws on the
 * first inconsistency.
 */
export function readZip(zip: Buffer): ZipEntry[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('no end-of-central-directory record');
  const total = zip.readUInt16LE(end + 10);
  const directoryAt = zip.readUInt32LE(end + 16);
  if (directoryAt + zip.readUInt32LE(end + 12) !== end)
    throw new Error('central directory does not end where the end record starts');
  const entries: ZipEntry[] = [];
  let at = directoryAt;
  for (let k = 0; k < total; k++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`central entry ${k} has a bad signature`);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const localAt = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + skip;

    if (zip.readUInt32LE(localAt) !== 0x04034b50)
      throw new Error(`${name}: local header has a bad signature`);
    if (zip.readUInt32LE(localAt + 14) !== crc) throw new Error(`${name}: local and central CRC differ`);
    const dataAt = localAt + 30 + zip.readUInt16LE(localAt + 26) + zip.readUInt16LE(localAt + 28);
    const raw = zip.subarray(dataAt, dataAt + compressedSize);
    const data = method === 8 ? inflateRawSync(raw) : method === 0 ? raw : undefined;
    if (!data) throw new Error(`${name}: unknown method ${method}`);
    if (data.length !== size)
      throw new Error(`${name}: inflates to ${data.length} bytes, header says ${size}`);
    if (crc32(data) !== crc) throw new Error(`${name}: CRC mismatch`);
    entries.push({ name, data });
  }
  return entries;
}
