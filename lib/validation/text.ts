import { z } from "zod";

// Text that PostgreSQL cannot store, or that would not come back as sent: a
// NUL byte (text and jsonb refuse it, so the query fails: a 500), and UTF-16
// that is not Unicode (a lone surrogate: jsonb refuses its escape, and UTF-8
// encoding silently replaces it). Every input that may be stored or compared
// is checked at the edge and refused with a clear message instead.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const UNSTORABLE_TEXT = "contains characters that cannot be stored (a NUL byte or broken Unicode)";

export function isStorableText(value: string): boolean {
  return !value.includes("\0") && !LONE_SURROGATE.test(value);
}

/** A string of at most `max` characters that can be stored as sent. */
export function zText(max: number, label = "This value") {
  return z
    .string({ error: `${label} must be text` })
    .max(max, `${label} is too long (at most ${max} characters)`)
    .refine(isStorableText, `${label} ${UNSTORABLE_TEXT}`);
}
