import sharp from 'sharp';
import { paintScene } from './photo.js';
import { fitSize } from './fit-size.js';
import { createRandom, type Random } from './random.js';
import { wrapWords, writeSentence } from './texts.js';

/**
 * PNG images: a phone screenshot of a chat, an organisation's logo and the
 * small social-network icons of newsletters. Text is drawn with a made-up
 * bitmap font rather than real fonts, so output never depends on the fonts a
 * machine has installed.
 */

type Rgb = readonly [number, number, number];

class Canvas {
  readonly data: Uint8ClampedArray;

  constructor(
    readonly width: number,
    readonly height: number,
    readonly channels: 3 | 4,
  ) {
    this.data = new Uint8ClampedArray(width * height * channels);
  }

  fill(x0: number, y0: number, w: number, h: number, color: Rgb, alpha = 255): void {
    const { width, height, channels, data } = this;
    for (let y = Math.max(0, y0); y < Math.min(height, y0 + h); y++) {
      for (let x = Math.max(0, x0); x < Math.min(width, x0 + w); x++) {
        const o = (y * width + x) * channels;
        data[o] = color[0];
        data[o + 1] = color[1];
        data[o + 2] = color[2];
        if (channels === 4) data[o + 3] = alpha;
      }
    }
  }

  /** A disc with a soft (anti-aliased) edge, blended over what is there. */
  disc(cx: number, cy: number, radius: number, color: Rgb): void {
    const { width, height, channels, data } = this;
    for (let y = Math.max(0, Math.floor(cy - radius - 1)); y < Math.min(height, cy + radius + 1); y++) {
      for (let x = Math.max(0, Math.floor(cx - radius - 1)); x < Math.min(width, cx + radius + 1); x++) {
        const coverage = Math.min(1, Math.max(0, radius - Math.hypot(x + 0.5 - cx, y + 0.5 - cy) + 0.5));
        if (coverage === 0) continue;
        const o = (y * width + x) * channels;
        for (let c = 0; c < 3; c++) data[o + c] = data[o + c]! * (1 - coverage) + color[c]! * coverage;
        if (channels === 4) data[o + 3] = Math.max(data[o + 3]!, coverage * 255);
      }
    }
  }

  blit(pixels: { data: Buffer; width: number; height: number }, x0: number, y0: number): void {
    for (let y = 0; y < pixels.height && y0 + y < this.height; y++) {
      for (let x = 0; x < pixels.width && x0 + x < this.width; x++) {
        const from = (y * pixels.width + x) * 3;
        const to = ((y0 + y) * this.width + x0 + x) * this.channels;
        this.data[to] = pixels.data[from]!;
        this.data[to + 1] = pixels.data[from + 1]!;
        this.data[to + 2] = pixels.data[from + 2]!;
        if (this.channels === 4) this.data[to + 3] = 255;
      }
    }
  }

  async toPng(): Promise<Buffer> {
    const raw = Buffer.from(this.data.buffer, this.data.byteOffset, this.data.byteLength);
    return sharp(raw, { raw: { width: this.width, height: this.height, channels: this.channels } })
      .png({ compressionLevel: 9 })
      .toBuffer();
  }
}

/** Nudges a `density` share of the opaque pixels by up to ±`amplitude`. */
function sprinkle(
  random: Random,
  data: Uint8Array | Uint8ClampedArray,
  channels: 3 | 4,
  density: number,
  amplitude: number,
): void {
  const threshold = Math.round(density * 65536);
  const noise = random.bytes((data.length / channels) * 3);
  for (let p = 0, q = 0; p < data.length; p += channels, q += 3) {
    if (channels === 4 && data[p + 3] === 0) continue;
    if ((noise[q]! | (noise[q + 1]! << 8)) >= threshold) continue;
    const delta = Math.round(((noise[q + 2]! - 127.5) * amplitude) / 127.5);
    for (let c = 0; c < 3; c++) data[p + c] = Math.min(255, Math.max(0, data[p + c]! + delta));
  }
}

/** A made-up 5×7 bitmap font: one random glyph per character, the same for the whole image. */
function createFont(random: Random): (char: string) => number[] {
  const glyphs = new Map<string, number[]>();
  return (char) => {
    let glyph = glyphs.get(char);
    if (!glyph) {
      glyph = Array.from({ length: 7 }, () => random.int(1, 31));
      glyphs.set(char, glyph);
    }
    return glyph;
  };
}

function drawText(
  canvas: Canvas,
  font: (char: string) => number[],
  text: string,
  x0: number,
  y0: number,
  scale: number,
  color: Rgb,
): void {
  let x = x0;
  for (const char of text) {
    if (char !== ' ') {
      const glyph = font(char.toLowerCase());
      glyph.forEach((row, gy) => {
        for (let gx = 0; gx < 5; gx++) {
          if (row & (1 << gx)) canvas.fill(x + gx * scale, y0 + gy * scale, scale, scale, color);
        }
      });
    }
    x += 6 * scale;
  }
}

/**
 * A 720×1600 phone screenshot of a chat with a shared photo, near `bytes`
 * (within 8 %). How much grain the shared photo has is the size knob.
 */
export async function makeScreenshot(random: Random, bytes: number): Promise<Buffer> {
  const seed = random.int(0, 0xffffffff);
  return fitSize((density) => drawChat(createRandom(seed), density), {
    bytes,
    tolerance: 0.08,
    low: 0,
    high: 1,
  });
}

async function drawChat(random: Random, density: number): Promise<Buffer> {
  const canvas = new Canvas(720, 1600, 3);
  const font = createFont(random);
  const teal: Rgb = [7, 94, 84];
  canvas.fill(0, 0, 720, 1600, [236, 229, 221]);
  // Wallpaper doodles, faint, as chat apps draw behind bubbles.
  for (let i = 0; i < 400; i++)
    canvas.disc(random.int(0, 720), random.int(160, 1480), random.int(2, 6), [226, 218, 208]);
  canvas.fill(0, 0, 720, 160, teal);
  drawText(canvas, font, '10:42', 24, 16, 2, [255, 255, 255]);
  canvas.disc(70, 110, 30, [200, 200, 200]);
  drawText(canvas, font, 'Famille Mukendi', 120, 90, 3, [255, 255, 255]);

  let y = 190;
  for (let bubble = 0; y < 1420; bubble++) {
    const mine = random.next() < 0.45;
    if (bubble === 3) {
      const photo = paintScene(random, 360, 260, 0);
      sprinkle(random, photo.data, 3, density, 4);
      const x = mine ? 720 - 360 - 40 : 40;
      canvas.fill(x - 8, y - 8, 376, 276, mine ? [220, 248, 198] : [255, 255, 255]);
      canvas.blit(photo, x, y);
      y += 300;
      continue;
    }
    const lines = wrapWords(writeSentence(random, random.pick(['fr', 'ln', 'sw'] as const)), 38);
    const height = lines.length * 26 + 30;
    const x = mine ? 720 - 520 - 24 : 24;
    canvas.fill(x, y, 520, height, mine ? [220, 248, 198] : [255, 255, 255]);
    lines.forEach((line, k) => drawText(canvas, font, line, x + 16, y + 14 + k * 26, 2, [48, 48, 48]));
    drawText(
      canvas,
      font,
      `${random.int(8, 21)}:${String(random.int(0, 59)).padStart(2, '0')}`,
      x + 440,
      y + height - 18,
      1,
      [130, 130, 130],
    );
    y += height + 18;
  }
  canvas.fill(0, 1480, 720, 120, [240, 240, 240]);
  canvas.fill(20, 1500, 560, 70, [255, 255, 255]);
  canvas.disc(640, 1535, 34, teal);
  return canvas.toPng();
}

/** An organisation's logo, 300×100 with transparency, near `bytes` (within 10 %). */
export async function makeLogo(
  random: Random,
  bytes: number,
  colors: { main: Rgb; accent: Rgb },
): Promise<Buffer> {
  const seed = random.int(0, 0xffffffff);
  return fitSize((density) => drawLogo(createRandom(seed), colors, density), {
    bytes,
    tolerance: 0.1,
    low: 0,
    high: 1,
  });
}

async function drawLogo(
  random: Random,
  colors: { main: Rgb; accent: Rgb },
  density: number,
): Promise<Buffer> {
  const canvas = new Canvas(300, 100, 4);
  const font = createFont(random);
  // An emblem: concentric discs shading from the main colour to the accent.
  for (let r = 44; r > 0; r -= 2) {
    const t = r / 44;
    canvas.disc(50, 50, r, [
      colors.accent[0] + (colors.main[0] - colors.accent[0]) * t,
      colors.accent[1] + (colors.main[1] - colors.accent[1]) * t,
      colors.accent[2] + (colors.main[2] - colors.accent[2]) * t,
    ]);
  }
  canvas.disc(50, 50, 16, [255, 255, 255]);
  drawText(canvas, font, 'mwinda', 110, 22, 5, colors.main);
  drawText(canvas, font, 'ong pour le developpement', 110, 68, 1, colors.accent);
  // A scanned-and-cleaned logo keeps some noise in its colours; it is also the size knob.
  sprinkle(random, canvas.data, 4, density, 3);
  return canvas.toPng();
}

/** A 32×32 social-network icon: a coloured disc with a white mark. */
export async function makeIcon(random: Random, color: Rgb): Promise<Buffer> {
  const canvas = new Canvas(32, 32, 4);
  canvas.disc(16, 16, 15.5, color);
  const font = createFont(random);
  drawText(canvas, font, 'f', 11, 9, 2, [255, 255, 255]);
  return canvas.toPng();
}
