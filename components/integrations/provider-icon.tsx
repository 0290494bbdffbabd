import type { TProviderSummary } from "./types";

/** A brand mark from simple-icons (on a light tile in both themes: brand colours are often near-black), or the provider's initials. */
export function ProviderIcon({ provider, size = 32 }: { provider: Pick<TProviderSummary, "name" | "icon">; size?: number }) {
  const box = { width: size, height: size };
  if (!provider.icon) {
    return (
      <span
        aria-hidden="true"
        style={box}
        className="inline-flex shrink-0 items-center justify-center rounded-md bg-zinc-200 text-xs font-semibold text-zinc-700 dark:bg-zinc-700 dark:text-zinc-200"
      >
        {provider.name.slice(0, 2).toUpperCase()}
      </span>
    );
  }
  return (
    <span aria-hidden="true" style={box} className="inline-flex shrink-0 items-center justify-center rounded-md bg-zinc-100 p-1.5 dark:bg-zinc-200">
      <svg viewBox="0 0 24 24" role="img" className="h-full w-full" fill={`#${provider.icon.hex}`}>
        <path d={provider.icon.path} />
      </svg>
    </span>
  );
}
