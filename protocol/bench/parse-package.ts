import { createReadStream, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { validatePackage } from '../src/index.js';

/**
 * Reads one package from a file, streaming, and reports this process's peak
 * memory. It runs alone in its own process so that the figure is the
 * reader's, not the benchmark's (which holds whole generated days in memory).
 */

const file = process.argv[2];
if (!file) {
  console.error('usage: node --import tsx bench/parse-package.ts FILE');
  process.exit(64);
}

const KB_PER_MB = 1024;

/**
 * Peak RSS in MB. On Linux, getrusage's maxRSS survives fork and exec, so a
 * child of a big parent reports the parent's size; VmHWM belongs to this
 * process's own address space and starts afresh at exec.
 */
function peakRssMb(): number {
  try {
    const line = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (line) return Number(line[1]) / KB_PER_MB;
  } catch {
    // Not Linux: fall back to getrusage, which is right when the parent is small.
  }
  return process.resourceUsage().maxRSS / KB_PER_MB;
}

// What node, tsx and the protocol code cost before a byte of the package is read.
const baselineRssMb = peakRssMb();
const started = performance.now();
const summary = await validatePackage(createReadStream(file));
const ms = performance.now() - started;

console.log(
  JSON.stringify({
    ms,
    peakRssMb: peakRssMb(),
    maxRssMb: process.resourceUsage().maxRSS / KB_PER_MB,
    baselineRssMb,
    emails: summary.counts.emails,
    attachments: summary.counts.attachments,
    attachmentBytes: summary.attachmentBytes,
  }),
);
