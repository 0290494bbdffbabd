import "server-only";
import type { TApiKeyScope } from "@/lib/api-keys/schemas";
import { adminListIntegrations, adminRemoveIntegrationCredentials, adminSetIntegrationCredentials } from "./admin-tools";
import type { TTool } from "./define-tool";
import { connectionStatusTool, listConnectionsTool, listProvidersTool } from "./read-tools";

export type { TTool, TToolContext } from "./define-tool";

export const TOOLS: readonly TTool[] = [
  adminListIntegrations,
  adminSetIntegrationCredentials,
  adminRemoveIntegrationCredentials,
  listConnectionsTool,
  listProvidersTool,
  connectionStatusTool,
];

export function findTool(name: string): TTool | undefined {
  return TOOLS.find((t) => t.name === name);
}

/** What a key's scope may see: admin tools only for admin keys. */
export function toolsFor(scope: TApiKeyScope): TTool[] {
  return TOOLS.filter((t) => t.access === "read" || scope === "admin");
}
