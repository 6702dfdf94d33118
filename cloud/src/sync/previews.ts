import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import type { Previewer } from './service.js';

const run = promisify(execFile);
/** Longest edge of a preview: enough to tell what a photo or a document is (bandwidth.md §5). */
const EDGE = 200;

/**
 * Previews of held-back attachments: images with sharp, the first page of a PDF with pdftoppm
 * (poppler-utils); without pdftoppm a PDF simply gets no preview.
 */
export function createPreviewer(): Previewer {
  return async (bytes, type) => {
    if (type.startsWith('image/')) {
      return sharp(bytes).rotate().resize(EDGE, EDGE, { fit: 'inside' }).jpeg({ quality: 60 }).toBuffer();
    }
    if (type === 'application/pdf') {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'lokole-preview-'));
      try {
        await writeFile(path.join(dir, 'in.pdf'), bytes);
        await run(
          'pdftoppm',
          ['-jpeg', '-f', '1', '-l', '1', '-scale-to', String(EDGE), '-singlefile', 'in.pdf', 'out'],
          {
            cwd: dir,
            timeout: 20_000,
          },
        );
        return await readFile(path.join(dir, 'out.jpg'));
      } catch {
        return undefined;
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
    return undefined;
  };
}
