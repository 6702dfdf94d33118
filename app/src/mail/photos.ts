import { open } from 'node:fs/promises';

/** bandwidth.md §5, policy "opt1600". */
export const PHOTO_POLICY = { maxEdge: 1600, quality: 75, leaveBelowBytes: 150 * 1024 } as const;

/** JPEG or PNG, by its first bytes (the browser's idea of the type is not trusted). */
export async function sniffImageType(file: string): Promise<'image/jpeg' | 'image/png' | undefined> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(8), 0, 8, 0);
    if (bytesRead >= 3 && buffer[0] === 0xff && buffer[1] === 0xd8 && buffer[2] === 0xff) return 'image/jpeg';
    if (bytesRead === 8 && buffer.equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
      return 'image/png';
    }
    return undefined;
  } finally {
    await handle.close();
  }
}

/**
 * Shrinks a photo before it is queued: JPEG or PNG over 150 KB or 1600 px →
 * longest edge 1600 px, mozjpeg quality 75, turned upright by its EXIF
 * orientation. Writes `output` and returns true; false when the file is
 * left as it is (not a photo, small already, or not decodable).
 */
export async function shrinkPhoto(input: string, output: string, size: number): Promise<boolean> {
  if (!(await sniffImageType(input))) return false;
  try {
    // Loaded on the first photo only: libvips costs about 12 MB of resident memory.
    const { default: sharp } = await import('sharp');
    const image = sharp(input, { limitInputPixels: 100_000_000, sequentialRead: true });
    const { width = 0, height = 0 } = await image.metadata();
    const isLarge = Math.max(width, height) > PHOTO_POLICY.maxEdge;
    if (!isLarge && size <= PHOTO_POLICY.leaveBelowBytes) return false;
    await image
      .rotate()
      .resize({
        width: PHOTO_POLICY.maxEdge,
        height: PHOTO_POLICY.maxEdge,
        fit: 'inside',
        withoutEnlargement: true,
      })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: PHOTO_POLICY.quality, mozjpeg: true })
      .toFile(output);
    return true;
  } catch {
    // A damaged image is sent as the user gave it: the recipient may still open it.
    return false;
  }
}

/** `photo.png` → `photo.jpg` once it has been re-encoded. */
export function jpegName(filename: string): string {
  return /\.jpe?g$/i.test(filename) ? filename : `${filename.replace(/\.[^.]*$/, '')}.jpg`;
}
