import "server-only";
import { env } from "@/lib/env";

/**
 * The link an invited person opens: on the app's configured public URL
 * (NEXTAUTH_URL; `npm start` sets it), never on a host taken from request
 * headers. Without a configured URL (`next dev`) it is a path, which the
 * admin's browser completes with the address it is using.
 */
export function inviteLink(token: string): string {
  const path = `/invite?token=${token}`;
  const base = env().NEXTAUTH_URL;
  return base ? new URL(path, base).toString() : path;
}
