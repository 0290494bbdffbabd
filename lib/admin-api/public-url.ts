import "server-only";
import { env } from "@/lib/env";

/** The app's public base URL for examples and the OpenAPI `servers` entry: the configured one, never request headers. */
export function publicBaseUrl(fallbackOrigin: string): string {
  return (env().NEXTAUTH_URL ?? fallbackOrigin).replace(/\/+$/, "");
}
