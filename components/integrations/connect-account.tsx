"use client";

import { useState } from "react";
import { toast } from "sonner";
import { startOAuthAction } from "@/app/admin/settings/integrations/oauth-actions";
import { Button } from "@/components/ui/button";
import { TokenStatus } from "./token-status";

export type TConnectAccountProps = {
  uuid: string;
  providerName: string;
  connected: boolean;
  /** Client id and secret are saved (Step 1 done). */
  ready: boolean;
  account: string | null;
  expiresAt: string | null;
  tokenRefreshedAt: string | null;
  connectedAt: string | null;
  /** What the last consent round trip ended with (from the server, never from the URL's text). */
  notice: { ok: boolean; message: string } | null;
};

/** Step 2 for OAuth providers: the consent-flow button, the callback's notice and the token's lifetime. */
export function ConnectAccount(props: TConnectAccountProps) {
  const [pending, setPending] = useState(false);

  async function connect() {
    setPending(true);
    const result = await startOAuthAction({ uuid: props.uuid });
    if (!result.ok) {
      setPending(false);
      toast.error(result.error.message);
      return;
    }
    window.location.assign(result.data.url);
  }

  return (
    <div className="space-y-4">
      {props.notice && (
        <p
          role={props.notice.ok ? "status" : "alert"}
          data-testid="oauth-notice"
          className={`rounded-md px-3 py-2 text-sm ${props.notice.ok ? "bg-green-50 text-green-800 dark:bg-green-950 dark:text-green-200" : "bg-red-50 text-red-800 dark:bg-red-950 dark:text-red-200"}`}
        >
          {props.notice.message}
        </p>
      )}
      <p className="text-sm text-zinc-700 dark:text-zinc-300">
        {props.connected && props.account
          ? `Connected as ${props.account}. Connect again to switch accounts or grant new scopes.`
          : `Sign in at ${props.providerName} and allow access; you come back here afterwards.`}
      </p>
      {props.connected && <TokenStatus expiresAt={props.expiresAt} tokenRefreshedAt={props.tokenRefreshedAt} connectedAt={props.connectedAt} />}
      <div className="flex flex-wrap items-center gap-3">
        <Button onClick={connect} disabled={pending || !props.ready}>
          {pending ? "Opening…" : props.connected ? "Reconnect account" : "Connect account"}
        </Button>
        {!props.ready && <span className="text-sm text-zinc-600 dark:text-zinc-400">Save the client ID and client secret in Step 1 first.</span>}
      </div>
    </div>
  );
}
