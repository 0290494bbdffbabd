import fc from "fast-check";

// Generated hostile input for the property-based tests (server actions in
// tests/integration/hostile-actions.test.ts, page search params in
// e2e/hostile-input.spec.ts): strings PostgreSQL cannot store or that are not
// Unicode, oversize strings, and values of the wrong type.

const short = fc.string({ maxLength: 24 });

/** A string with a NUL byte somewhere. */
export const nulString = fc.tuple(short, short).map(([a, b]) => `${a}\u0000${b}`);

/** A string with an unpaired UTF-16 surrogate (not Unicode: cannot be encoded as UTF-8). */
export const loneSurrogateString = fc
  .tuple(short, fc.integer({ min: 0xd800, max: 0xdfff }), short)
  .map(([a, unit, b]) => `${a}${String.fromCharCode(unit)}${b}`);

/** Longer than any input limit in the app (the largest, a PEM key, is 16 KiB). */
export const oversizeString = fc
  .tuple(fc.integer({ min: 70_000, max: 120_000 }), fc.constantFrom("x", "é", "/", "%", "🔑"))
  .map(([n, c]) => c.repeat(n));

/** Control characters, quotes, traversal and markup: harmless to store, but must never break a page. */
export const awkwardString = fc.constantFrom(
  "\u0001\u0002\u001b[31m",
  "../../etc/passwd",
  "' OR 1=1 --",
  '"><script>alert(1)</script>',
  "\u202e\u200b\ufeff",
  "%00",
  "%ZZ",
  "{{7*7}}",
  "__proto__",
  "constructor",
);

export const hostileString = fc.oneof(nulString, loneSurrogateString, oversizeString);

const deepObject = fc.integer({ min: 50, max: 200 }).map((depth) => {
  let v: unknown = "leaf";
  for (let i = 0; i < depth; i++) v = { v };
  return v;
});

const anyArray = fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.integer()), { maxLength: 4 });
const anyObject = fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 4 });
const scalars = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null));

/**
 * The kinds of hostile value for a place that expects `like`, each its own
 * arbitrary, so a test can try every kind at every place (not just a random few).
 */
export function hostileKindsFor(like: unknown): Record<string, fc.Arbitrary<unknown>> {
  const wrongType = hostileFor(like).filter((v) => typeof v !== "string");
  if (typeof like === "string") return { "NUL byte": nulString, "lone surrogate": loneSurrogateString, oversize: oversizeString, "wrong type": wrongType };
  if (Array.isArray(like)) return { "wrong type": hostileFor(like), "hostile items": fc.array(hostileString, { minLength: 1, maxLength: 3 }) };
  return { "wrong type": hostileFor(like) };
}

/** A value that is hostile wherever `like` is expected: a bad string for a string, another type otherwise. */
export function hostileFor(like: unknown): fc.Arbitrary<unknown> {
  if (typeof like === "string") return fc.oneof(hostileString, scalars, anyArray, anyObject, deepObject);
  if (Array.isArray(like)) return fc.oneof(hostileString, scalars, anyObject, deepObject, fc.array(hostileString, { minLength: 1, maxLength: 3 }));
  if (like !== null && typeof like === "object") return fc.oneof(hostileString, scalars, anyArray, deepObject);
  if (typeof like === "boolean") return fc.oneof(hostileString, fc.integer(), fc.constant(null), anyArray, anyObject);
  return fc.oneof(hostileString, anyArray, anyObject, deepObject);
}

/** Every path into a JSON-like template, the root included (`[]`). */
export function pathsOf(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  const out = [path];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...path, i])));
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...path, k]));
  return out;
}

export function getAt(value: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], value);
}

/** A copy of `value` with the value at `path` replaced (the root when `path` is empty). */
export function setAt(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  const parent = getAt(copy, path.slice(0, -1)) as Record<string | number, unknown>;
  parent[path.at(-1)!] = replacement;
  return copy;
}

/** A short label of a generated value for failure messages (never the whole oversize string). */
export function describeValue(v: unknown): string {
  const text = typeof v === "string" ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
  return text.length > 80 ? `${text.slice(0, 60)}… (${text.length} chars)` : text;
}
