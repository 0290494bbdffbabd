import "server-only";
import { stampPeerAddresses } from "@/lib/auth/client-address";

/**
 * Authentication's part of server start-up (one call from lib/boot.ts's
 * bootServer, before requests are served): requests get their socket address
 * stamped for the sign-in throttle.
 */
export async function bootAuth(): Promise<void> {
  stampPeerAddresses();
}
