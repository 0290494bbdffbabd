import type { TInvalidParam } from "@/lib/validation/search-params";

/** Says which parts of the address were ignored (and why), instead of failing the page. */
export function InvalidParamsNotice({ invalid }: { invalid: TInvalidParam[] }) {
  if (invalid.length === 0) return null;
  return (
    <p role="status" data-testid="invalid-params" className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
      Ignored part of the address: {invalid.map((i) => `“${i.name}” ${i.message}`).join("; ")}.
    </p>
  );
}
