import Form from "next/form";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";

/**
 * Searches the org's connections through the address (`?q=`), so a search can
 * be bookmarked and Back undoes it. A GET form: it works before JavaScript
 * loads, and next/form turns it into a client navigation once it has.
 */
export function ConnectionsSearch({ path, q, maxLength }: { path: string; q: string; maxLength: number }) {
  return (
    <Form action={path} role="search" aria-label="Connections" className="mb-3 flex flex-wrap items-center gap-2">
      <label htmlFor="connections-q" className="sr-only">
        Search connections
      </label>
      {/* Keyed by the search: Back, Forward and "Clear search" show the address's search, not the last one typed. */}
      <input
        key={q}
        id="connections-q"
        name="q"
        type="search"
        defaultValue={q}
        maxLength={maxLength}
        placeholder="Search by provider or name…"
        className={`${inputClass} min-w-0 flex-1 sm:max-w-sm`}
      />
      <button type="submit" className={buttonClass("secondary")}>
        Search
      </button>
      {q && (
        <Link href={path} className="text-sm underline">
          Clear search
        </Link>
      )}
    </Form>
  );
}
