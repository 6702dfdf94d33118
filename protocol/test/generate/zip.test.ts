import test from 'ava';
import { writeZip } from '../../src/generate/zip.js';
import { readZip } from './formats.js';

const entries = [
  { name: '[Content_Types].xml', data: Buffer.from('<Types/>'.repeat(50)) },
  {
    name: 'word/media/image1.jpeg',
    data: Buffer.from(Array.from({ length: 5_000 }, (_, k) => (k * 7919) % 251)),
  },
  { name: 'empty.txt', data: Buffer.alloc(0) },
];

test('entries come back through the central directory with their names, bytes and CRC', (t) => {
  const back = readZip(writeZip(entries));
  t.deepEqual(
    back.map((entry) => entry.name),
    entries.map((entry) => entry.name),
  );
  back.forEach((entry, k) => t.true(entry.data.equals(entries[k]!.data), entry.name));
});

test('the reader notices a corrupted entry', (t) => {
  const zip = writeZip(entries);
  const at = 30 + Buffer.byteLength(entries[0]!.name) + 2; // inside the first entry's deflated data
  zip[at] = zip[at]! ^ 0xff;
  t.throws(() => readZip(zip));
});

test('the same entries always give the same bytes', (t) => {
  t.true(writeZip(entries).equals(writeZip(entries)));
});

test('entries are dated 1980-01-01 00:00, as Word dates them', (t) => {
  const zip = writeZip(entries);
  t.is(zip.readUInt16LE(10), 0);
  t.is(zip.readUInt16LE(12), 0x21);
});

test('a name that is not ASCII is flagged as UTF-8', (t) => {
  const zip = writeZip([{ name: 'Procès-verbal.txt', data: Buffer.from('PV') }]);
  t.is(zip.readUInt16LE(6) & 0x0800, 0x0800);
  t.is(readZip(zip)[0]!.name, 'Procès-verbal.txt');
  t.is(writeZip([{ name: 'pv.txt', data: Buffer.from('PV') }]).readUInt16LE(6) & 0x0800, 0);
});
