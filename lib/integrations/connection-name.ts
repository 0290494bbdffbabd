import { z } from "zod";

// Client-safe: the add and rename forms validate as you type with the same rule.
export const CONNECTION_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
export const CONNECTION_NAME_HINT =
  "Start with a letter or digit; then letters, digits, - or _ (at most 64 characters).";

export const ZConnectionName = z
  .string()
  .trim()
  .min(1, "Enter a name for the connection.")
  .regex(CONNECTION_NAME_PATTERN, CONNECTION_NAME_HINT);

/** Maps a name to the service's error code without throwing. */
export function checkConnectionName(name: unknown): "empty_name" | "invalid_name" | null {
  if (typeof name !== "string") return "invalid_name";
  const trimmed = name.trim();
  if (trimmed === "") return "empty_name";
  return CONNECTION_NAME_PATTERN.test(trimmed) ? null : "invalid_name";
}
