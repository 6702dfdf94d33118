/**
 * An FTS5 expression for what someone typed: every word must match, each as
 * a prefix ("rapp" finds "rapport"). Quoting each word keeps FTS5 syntax
 * (AND, NEAR, column filters, stray quotes) out of users' hands.
 */
export function toMatchExpression(query: string): string | undefined {
  const words = query.match(/[\p{L}\p{N}]+/gu)?.slice(0, 8) ?? [];
  if (words.length === 0) return undefined;
  return words.map((word) => `"${word}"*`).join(' ');
}
