/**
 * Parsers accept either the info lines the AT client collected or a raw transcript as the modem
 * sent it (`\r\n` framing, an echo of the command, unsolicited results in between), so the same
 * function serves the client and the tests that replay captured sessions.
 */
export type AtText = string | readonly string[];

/** Splits on CR and LF alike (an echo ends with CR only) and drops empty lines. */
export function toLines(input: AtText): string[] {
  const parts = typeof input === 'string' ? [input] : input;
  return parts
    .flatMap((part) => part.split(/\r\n|\r|\n/))
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

/** The first line that starts with `prefix` (case-insensitive), with the prefix removed and trimmed. */
export function findTagged(input: AtText, prefix: string): string | undefined {
  const wanted = prefix.toUpperCase();
  for (const line of toLines(input)) {
    if (line.toUpperCase().startsWith(wanted)) return line.slice(prefix.length).trim();
  }
  return undefined;
}

/** All lines that start with `prefix`, prefix removed. */
export function findAllTagged(input: AtText, prefix: string): string[] {
  const wanted = prefix.toUpperCase();
  return toLines(input)
    .filter((line) => line.toUpperCase().startsWith(wanted))
    .map((line) => line.slice(prefix.length).trim());
}

/**
 * Splits `a,"b,c",d` on the commas outside quotes; quotes are removed and fields trimmed.
 * `quoted` tells a quoted field (a LAC, an operator name) from a bare number.
 */
export function splitFields(text: string): { value: string; quoted: boolean }[] {
  const fields: { value: string; quoted: boolean }[] = [];
  let current = '';
  let quoted = false;
  let inQuotes = false;
  for (const char of text) {
    if (char === '"') {
      inQuotes = !inQuotes;
      quoted = true;
    } else if (char === ',' && !inQuotes) {
      fields.push({ value: quoted ? current : current.trim(), quoted });
      current = '';
      quoted = false;
    } else {
      current += char;
    }
  }
  fields.push({ value: quoted ? current : current.trim(), quoted });
  return fields;
}

/** A whole number, or undefined for an empty or non-numeric field. */
export function toInt(text: string | undefined): number | undefined {
  if (text === undefined || !/^\s*\d+\s*$/.test(text)) return undefined;
  return Number.parseInt(text, 10);
}
