import { RelativeTime } from "@/components/ui/relative-time";

/** When the access token expires and when it was last renewed; times relative, absolute on hover. */
export function TokenStatus(props: { expiresAt: string | null; tokenRefreshedAt: string | null; connectedAt: string | null }) {
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" data-testid="token-status">
      <dt className="text-zinc-600 dark:text-zinc-400">Connected</dt>
      <dd>
        <RelativeTime iso={props.connectedAt} fallback="not yet" />
      </dd>
      <dt className="text-zinc-600 dark:text-zinc-400">Access token expires</dt>
      <dd>{props.expiresAt ? <RelativeTime iso={props.expiresAt} /> : "does not expire"}</dd>
      <dt className="text-zinc-600 dark:text-zinc-400">Last refreshed</dt>
      <dd>
        <RelativeTime iso={props.tokenRefreshedAt} fallback="not yet (renewed automatically before it expires)" />
      </dd>
    </dl>
  );
}
