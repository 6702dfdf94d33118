import sharp from 'sharp';
import { fitSize } from './fit-size.js';
import type { Random } from './random.js';

/**
 * Photos drawn from seeded pixels: a smooth scene (sky, hills, houses, trees)
 * plus sensor noise. The noise is what makes them weigh what phone photos
 * weigh and resist recompression the way real ones do; the smooth scene keeps
 * resizing and previews meaningful.
 */

export interface Pixels {
  data: Buffer;
  width: number;
  height: number;
  /** 3 for RGB; 1 for the grey of a scanned page. */
  channels: 1 | 3;
}

type Rgb = [number, number, number];

function pickColor(random: Random, low: Rgb, high: Rgb): Rgb {
  return [random.int(low[0], high[0]), random.int(low[1], high[1]), random.int(low[2], high[2])];
}

/** An outdoor scene in RGB, `noise` being the amplitude of the grain (0–40 is sensible). */
export function paintScene(random: Random, width: number, height: number, noise: number): Pixels {
  const px = new Uint8ClampedArray(width * height * 3);
  const horizon = Math.floor(height * (0.45 + random.next() * 0.2));
  const skyTop = pickColor(random, [60, 110, 190], [120, 170, 240]);
  const skyLow = pickColor(random, [190, 200, 215], [235, 235, 245]);
  const far = pickColor(random, [70, 110, 50], [120, 150, 80]);
  const near = pickColor(random, [90, 60, 30], [150, 100, 60]);

  // Hills: a smooth ridge made of a few sines.
  const waves = Array.from({ length: 4 }, () => ({
    amp: height * (0.01 + random.next() * 0.05),
    freq: ((1 + random.int(0, 6)) * Math.PI * 2) / width,
    phase: random.next() * Math.PI * 2,
  }));
  const ridge = new Int32Array(width);
  const columnShade = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    let h = 0;
    for (const wave of waves) h += wave.amp * Math.sin(x * wave.freq + wave.phase);
    ridge[x] = Math.round(horizon - Math.abs(h) - height * 0.03);
    columnShade[x] = 10 * Math.sin((x / width) * 17.3 + 1.1) + 6 * Math.sin((x / width) * 53.1);
  }

  for (let y = 0; y < height; y++) {
    const s = Math.min(1, y / horizon);
    const sr = skyTop[0] + (skyLow[0] - skyTop[0]) * s;
    const sg = skyTop[1] + (skyLow[1] - skyTop[1]) * s;
    const sb = skyTop[2] + (skyLow[2] - skyTop[2]) * s;
    const g = y < horizon ? 0 : (y - horizon) / (height - horizon);
    const gr = far[0] + (near[0] - far[0]) * g;
    const gg = far[1] + (near[1] - far[1]) * g;
    const gb = far[2] + (near[2] - far[2]) * g;
    const rowShade = 8 * Math.sin((y / height) * 23.7) + 5 * Math.sin((y / height) * 71.3 + 0.5);
    let o = y * width * 3;
    for (let x = 0; x < width; x++, o += 3) {
      if (y < ridge[x]!) {
        px[o] = sr;
        px[o + 1] = sg;
        px[o + 2] = sb;
      } else {
        const t = columnShade[x]! + rowShade;
        px[o] = gr + t;
        px[o + 1] = gg + t;
        px[o + 2] = gb + t * 0.5;
      }
    }
  }

  // Houses (shaded boxes) and trees (discs), painted over their bounding boxes.
  const shapes = random.int(6, 14);
  for (let i = 0; i < shapes; i++) {
    const color = pickColor(random, [40, 40, 40], [230, 230, 230]);
    if (random.next() < 0.5) {
      const w = Math.floor(width * (0.05 + random.next() * 0.15));
      const h = Math.floor(height * (0.05 + random.next() * 0.15));
      const x0 = random.int(0, width - w);
      const y0 = Math.min(
        height - h,
        horizon - Math.floor(h * 0.3) + random.int(0, Math.floor(height * 0.2)),
      );
      for (let y = y0; y < y0 + h; y++) {
        const shade = 0.75 + (0.25 * (y - y0)) / h;
        for (let x = x0, o = (y * width + x0) * 3; x < x0 + w; x++, o += 3) {
          px[o] = color[0] * shade;
          px[o + 1] = color[1] * shade;
          px[o + 2] = color[2] * shade;
        }
      }
    } else {
      const radius = Math.floor(height * (0.03 + random.next() * 0.1));
      const cx = random.int(0, width);
      const cy = horizon - random.int(0, radius);
      for (let y = Math.max(0, cy - radius); y < Math.min(height, cy + radius); y++) {
        for (let x = Math.max(0, cx - radius); x < Math.min(width, cx + radius); x++) {
          const d2 = ((x - cx) ** 2 + (y - cy) ** 2) / (radius * radius);
          if (d2 > 1) continue;
          const o = (y * width + x) * 3;
          const shade = 1 - 0.4 * d2;
          px[o] = color[0] * 0.4 * shade;
          px[o + 1] = color[1] * shade;
          px[o + 2] = color[2] * 0.3 * shade;
        }
      }
    }
  }

  addGrain(random, px, noise);
  return { data: Buffer.from(px.buffer, px.byteOffset, px.byteLength), width, height, channels: 3 };
}

/** Luminance grain plus a little chroma grain, as a phone sensor makes in daylight. */
function addGrain(random: Random, px: Uint8ClampedArray, noise: number): void {
  if (noise <= 0) return;
  const luma = new Int16Array(256);
  const chroma = new Int16Array(256);
  for (let b = 0; b < 256; b++) {
    luma[b] = Math.round(((b - 127.5) * noise) / 127.5);
    chroma[b] = Math.round(((b - 127.5) * noise) / 400);
  }
  const grain = random.bytes((px.length / 3) * 2);
  for (let p = 0, q = 0; p < px.length; p += 3, q += 2) {
    const l = luma[grain[q]!]!;
    const c = chroma[grain[q + 1]!]!;
    px[p] = px[p]! + l + c;
    px[p + 1] = px[p + 1]! + l;
    px[p + 2] = px[p + 2]! + l - c;
  }
}

export interface JpegTarget {
  bytes: number;
  /** Accept any size within this fraction of `bytes`. */
  tolerance: number;
  /** The quality to try first. */
  quality: number;
  exif?: { Make: string; Model: string; DateTime: string };
}

/** Encodes to JPEG at the quality whose output lands nearest `target.bytes`. */
export async function encodeJpegNear(pixels: Pixels, target: JpegTarget): Promise<Buffer> {
  const encode = (quality: number): Promise<Buffer> => {
    let pipeline = sharp(pixels.data, {
      raw: { width: pixels.width, height: pixels.height, channels: pixels.channels },
    });
    if (target.exif) pipeline = pipeline.withExif({ IFD0: target.exif });
    // sharp writes sRGB unless told otherwise; a PDF's DeviceGray image must have one component.
    if (pixels.channels === 1) pipeline = pipeline.toColourspace('b-w');
    return pipeline.jpeg({ quality }).toBuffer();
  };
  return fitSize(encode, {
    bytes: target.bytes,
    tolerance: target.tolerance,
    low: 20,
    high: 97,
    first: target.quality,
    isInteger: true,
  });
}

export interface PhotoSpec {
  width: number;
  height: number;
  bytes: number;
  /** The camera's clock, for the EXIF `DateTime` (`yyyy:mm:dd HH:MM:SS`). */
  takenAt: string;
}

const PHONES = [
  { Make: 'TECNO', Model: 'CAMON 20' },
  { Make: 'samsung', Model: 'SM-A145F' },
  { Make: 'INFINIX', Model: 'Infinix X6833B' },
  { Make: 'itel', Model: 'itel S665L' },
];

/** A phone photo of about `spec.bytes` (within 8 %). */
export async function makePhoto(random: Random, spec: PhotoSpec): Promise<Buffer> {
  // Grain scaled with the wanted bits per pixel lands the first encode near the target.
  const bitsPerPixel = (spec.bytes * 8) / (spec.width * spec.height);
  const pixels = paintScene(random, spec.width, spec.height, Math.round(6 + 5 * bitsPerPixel));
  return encodeJpegNear(pixels, {
    bytes: spec.bytes,
    tolerance: 0.08,
    quality: 84,
    exif: { ...random.pick(PHONES), DateTime: spec.takenAt },
  });
}

/** An image as messengers send it: about 1600 px, light grain, strong compression. */
export async function makeMessengerImage(random: Random, bytes: number): Promise<Buffer> {
  const portrait = random.next() < 0.5;
  const pixels = paintScene(random, portrait ? 1200 : 1600, portrait ? 1600 : 1200, 8);
  return encodeJpegNear(pixels, { bytes, tolerance: 0.06, quality: 60 });
}

/** A JPEG of `width`×`height` for a PDF or a Word document, near `bytes`. */
export async function makeFigure(
  random: Random,
  width: number,
  height: number,
  bytes: number,
): Promise<Buffer> {
  const bitsPerPixel = (bytes * 8) / (width * height);
  const pixels = paintScene(random, width, height, Math.round(4 + 6 * bitsPerPixel));
  return encodeJpegNear(pixels, { bytes, tolerance: 0.05, quality: 75 });
}
