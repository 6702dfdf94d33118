/**
 * Finds the knob (JPEG quality, amount of grain…) whose output lands nearest
 * a byte size. Output size must grow with the knob. Each step interpolates
 * between the nearest tries below and above the target (log size is close to
 * linear in the knob), so two or three encodes usually suffice. Every step is
 * deterministic, so the chosen knob, and the bytes, repeat with the seed.
 */
export interface SizeTarget {
  bytes: number;
  /** Stop at the first output within this fraction of `bytes`. */
  tolerance: number;
  low: number;
  high: number;
  /** The knob to try first; a good guess saves encodes. */
  first?: number;
  /** Only whole knobs (JPEG quality). */
  isInteger?: boolean;
  steps?: number;
}

interface Try {
  knob: number;
  output: Buffer;
}

export async function fitSize(make: (knob: number) => Promise<Buffer>, target: SizeTarget): Promise<Buffer> {
  const round = (value: number): number => (target.isInteger ? Math.round(value) : value);
  const clamp = (value: number): number => Math.min(target.high, Math.max(target.low, value));
  const tries: Try[] = [];
  let knob = round(clamp(target.first ?? (target.low + target.high) / 2));
  for (let step = 0; step < (target.steps ?? 6); step++) {
    const output = await make(knob);
    tries.push({ knob, output });
    if (Math.abs(output.length - target.bytes) <= target.bytes * target.tolerance) return output;

    const below = tries.filter((t) => t.output.length < target.bytes).sort((a, b) => b.knob - a.knob)[0];
    const above = tries.filter((t) => t.output.length > target.bytes).sort((a, b) => a.knob - b.knob)[0];
    let next: number;
    if (below && above) {
      const span = Math.log(above.output.length) - Math.log(below.output.length);
      const share = span > 0 ? (Math.log(target.bytes) - Math.log(below.output.length)) / span : 0.5;
      next = round(below.knob + share * (above.knob - below.knob));
      if (target.isInteger) next = Math.min(above.knob - 1, Math.max(below.knob + 1, next));
      if (next <= below.knob || next >= above.knob) break; // nothing left between them
    } else {
      // No bracket yet: move an eighth of the range the right way.
      const stride = (target.high - target.low) / 8;
      next = round(clamp(knob + (above ? -stride : stride)));
      if (next === knob) break; // at the edge of the range
    }
    knob = next;
  }
  return tries.reduce((best, t) =>
    Math.abs(t.output.length - target.bytes) < Math.abs(best.output.length - target.bytes) ? t : best,
  ).output;
}
