import type { TActor } from "@/lib/audit/types";

/** A signed-in user acting in their organization (the org always comes from the session). */
export type TUserContext = { orgId: string; actor: Extract<TActor, { type: "user" }> };
