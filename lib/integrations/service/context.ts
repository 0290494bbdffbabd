import type { TActor } from "@/lib/audit/types";

/** Every service call runs for one organization; the org never comes from user input. */
export type TReadContext = { orgId: string };
export type TServiceContext = TReadContext & { actor: TActor };
