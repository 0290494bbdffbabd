import "server-only";
import { announceSetupLink } from "@/lib/accounts/setup-link";
import { stampPeerAddresses } from "@/lib/auth/client-address";

/**
 * Authentication's part of server start-up (one call from lib/boot.ts's
 * bootServer, after the database is open and before requests are served):
 * requests get their socket address stamped for the sign-in throttle, and
 * while no admin exists the one-time setup link is printed.
 */
export async function bootAuth(): Promise<void> {
  stampPeerAddresses();
  await announceSetupLink();
}
