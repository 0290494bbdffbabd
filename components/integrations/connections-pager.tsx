import Link from "next/link";
import { buttonClass } from "@/components/ui/button";

const NUMBER = new Intl.NumberFormat("en-US");

/** `?page=` (and `?q=` when searching) as plain links: Back and Forward walk the pages, and each page has its address. */
export function pageHref(path: string, page: number, q: string): string {
  const params = new URLSearchParams();
  if (q) params.set("q", q);
  if (page > 1) params.set("page", String(page));
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

/** "Showing 51–100 of 1,000" plus Previous / Next; the count is announced when the page changes. */
export function ConnectionsPager(props: { path: string; page: number; pages: number; pageSize: number; matching: number; q: string }) {
  const { path, page, pages, pageSize, matching, q } = props;
  const first = (page - 1) * pageSize + 1;
  const last = Math.min(matching, page * pageSize);
  const disabled = `${buttonClass("secondary", "sm")} cursor-not-allowed opacity-50`;
  return (
    <nav aria-label="Connections pages" className="mt-3 flex flex-wrap items-center justify-between gap-3 text-sm">
      <p aria-live="polite" data-testid="connections-range">
        Showing {NUMBER.format(first)}–{NUMBER.format(last)} of {NUMBER.format(matching)}
      </p>
      {pages > 1 && (
        <div className="flex items-center gap-2">
          {page > 1 ? (
            <Link href={pageHref(path, page - 1, q)} rel="prev" className={buttonClass("secondary", "sm")}>
              Previous<span className="sr-only"> page</span>
            </Link>
          ) : (
            <span aria-disabled="true" className={disabled}>
              Previous<span className="sr-only"> page</span>
            </span>
          )}
          <span>
            Page {NUMBER.format(page)} of {NUMBER.format(pages)}
          </span>
          {page < pages ? (
            <Link href={pageHref(path, page + 1, q)} rel="next" className={buttonClass("secondary", "sm")}>
              Next<span className="sr-only"> page</span>
            </Link>
          ) : (
            <span aria-disabled="true" className={disabled}>
              Next<span className="sr-only"> page</span>
            </span>
          )}
        </div>
      )}
    </nav>
  );
}
