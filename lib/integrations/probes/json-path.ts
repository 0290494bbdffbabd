import "server-only";

// Dotted paths into a JSON answer: "data.label", "plan.0.credits",
// "data.length" (an array's length counts it).

export function readPath(root: unknown, path: string): unknown {
  let at: unknown = root;
  for (const part of path.split(".")) {
    if (at === null || at === undefined) return undefined;
    if (Array.isArray(at)) at = part === "length" ? at.length : at[Number(part)];
    else if (typeof at === "object") at = Object.hasOwn(at, part) ? (at as Record<string, unknown>)[part] : undefined;
    else return undefined;
  }
  return at;
}

/** A value as shown to a person; objects and arrays are not shown. */
export function displayValue(value: unknown): string | undefined {
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "string" && value.trim() !== "") return value.trim().slice(0, 200);
  return undefined;
}

/** label → JSON path, read from `body`; missing values are left out. */
export function readFacts(body: unknown, paths: Record<string, string> | undefined): Record<string, string> {
  const facts: Record<string, string> = {};
  for (const [label, path] of Object.entries(paths ?? {})) {
    const shown = displayValue(readPath(body, path));
    if (shown !== undefined) facts[label] = shown;
  }
  return facts;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
