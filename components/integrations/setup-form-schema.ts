import { z } from "zod";
import type { SetupField } from "@/lib/integrations/providers/types";

/**
 * Client-side checks for instant feedback. The server validates again with
 * the registry's rules (the authority); this only catches the obvious.
 * Stored secrets may stay empty: empty means "keep".
 */
export function setupFormSchema(fields: SetupField[], storedSecrets: Set<string>): z.ZodType<Record<string, string>, Record<string, string>> {
  const shape: Record<string, z.ZodType<string>> = {};
  for (const f of fields) {
    let s = z.string().max(16_384, "That is too long.");
    if (f.type === "number") s = s.regex(/^$|^\d+$/, "Enter a whole number.");
    if (f.required && !storedSecrets.has(f.key)) s = s.min(1, `${f.label} is required.`);
    shape[f.key] = s;
  }
  return z.object(shape) as unknown as z.ZodType<Record<string, string>, Record<string, string>>;
}
