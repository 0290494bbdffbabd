import type { TProviderSummary } from "./types";

/**
 * A provider's logo or glyph (lib/integrations/providers/icons.ts) on a light
 * tile in both themes: brand colours are often near-black. Decorative: the
 * provider's name is always written beside it.
 */
export function ProviderIcon({ provider, size = 32 }: { provider: Pick<TProviderSummary, "name" | "icon">; size?: number }) {
  return (
    <span
      aria-hidden="true"
      data-icon={provider.icon.kind}
      style={{ width: size, height: size }}
      className="inline-flex shrink-0 items-center justify-center rounded-md bg-zinc-100 p-1 dark:bg-zinc-200"
    >
      {/* eslint-disable-next-line @next/next/no-img-element -- an inline SVG data URI; next/image would add nothing */}
      <img src={provider.icon.src} alt="" className="h-full w-full object-contain" />
    </span>
  );
}
