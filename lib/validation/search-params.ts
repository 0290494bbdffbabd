import "server-only";
import { z } from "zod";

// Page search parameters are untrusted input like any other: each page
// declares a zod schema per parameter, and a value that does not fit (a
// repeated parameter, a NUL byte, a wrong type, an oversize string) falls back
// to the parameter's default and is reported, so the page can say so. Never a
// thrown parse error, never a hostile string reaching a query.

export type TRawSearchParams = Record<string, string | string[] | undefined>;
/** Every schema must accept `undefined` (optional or with a default): it is the fallback. */
export type TSearchParamShape = Record<string, z.ZodType>;
export type TInvalidParam = { name: string; message: string };

export function parseSearchParams<S extends TSearchParamShape>(
  shape: S,
  raw: TRawSearchParams,
): { values: { [K in keyof S]: z.output<S[K]> }; invalid: TInvalidParam[] } {
  const values = {} as { [K in keyof S]: z.output<S[K]> };
  const invalid: TInvalidParam[] = [];
  for (const name of Object.keys(shape) as (keyof S & string)[]) {
    const schema = shape[name]!;
    const given = Object.hasOwn(raw, name) ? raw[name] : undefined;
    const parsed = Array.isArray(given) ? null : schema.safeParse(given, { reportInput: false });
    if (parsed?.success) {
      values[name] = parsed.data as z.output<S[typeof name]>;
      continue;
    }
    invalid.push({ name, message: Array.isArray(given) ? "was given more than once" : (parsed?.error.issues[0]?.message ?? "is invalid") });
    values[name] = schema.parse(undefined) as z.output<S[typeof name]>;
  }
  return { values, invalid };
}

/** A 1-based page number. */
export const zPageParam = z.coerce.number({ error: "must be a page number" }).int("must be a page number").min(1, "must be a page number").max(100_000, "is too large").default(1);

/** An optional parameter where an empty value (a form's blank field) means "not given". */
export function optionalParam<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === "" ? undefined : v), schema.optional());
}
