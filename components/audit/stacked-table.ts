// A table that becomes stacked cards below 640 px (nothing pans sideways on a
// phone): rows and cells turn into blocks and each cell shows its column name
// from `data-label`. One markup for both layouts.

export const stacked = {
  wrapper: "relative mt-4 overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900",
  table: "min-w-full divide-y divide-zinc-200 text-sm max-sm:block dark:divide-zinc-800",
  thead: "bg-zinc-50 text-left text-xs font-medium text-zinc-500 uppercase max-sm:sr-only dark:bg-zinc-900/50 dark:text-zinc-400",
  tbody: "divide-y divide-zinc-100 max-sm:block dark:divide-zinc-800",
  row: "max-sm:block max-sm:px-4 max-sm:py-3",
  cell:
    "px-4 py-2 align-top max-sm:flex max-sm:gap-3 max-sm:px-0 max-sm:py-0.5 max-sm:before:w-20 max-sm:before:shrink-0 max-sm:before:text-xs max-sm:before:text-zinc-500 max-sm:before:content-[attr(data-label)] dark:max-sm:before:text-zinc-400",
} as const;
