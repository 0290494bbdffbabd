/** The product's mark (public/icon.svg, also the favicon) beside its name. */
export function AppMark({ size = 28 }: { size?: number }) {
  return (
    <span className="inline-flex items-center gap-2">
      {/* A plain img: the SVG is a static file served from public/, no optimisation needed. */}
      {/* eslint-disable-next-line @next/next/no-img-element */}
      <img src="/icon.svg" alt="" width={size} height={size} className="shrink-0" />
      <span className="text-sm font-semibold tracking-wide text-indigo-700 dark:text-indigo-300">Switchboard</span>
    </span>
  );
}
