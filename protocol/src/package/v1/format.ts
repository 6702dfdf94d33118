/** Facts of the original Lokole's package (protocol.md, "Package, version 1"). */
export const V1_EMAILS = 'emails.jsonl';
export const V1_USERS = 'zzusers.jsonl';
export const V1_ATTACHMENTS = 'zattachments.jsonl';
export const V1_MEMBERS = [V1_EMAILS, V1_USERS, V1_ATTACHMENTS] as const;

/**
 * JSON as the original wrote it (Python `json.dumps(..., ensure_ascii=True)`):
 * compact, keys sorted, everything outside ASCII escaped as \uXXXX.
 */
export function toV1Json(value: unknown): string {
  return JSON.stringify(sortKeys(value)).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
