import "server-only";

import type { ProviderModule } from "./types";

// The application's own feature modules that consume integrations, registered
// with the registry on first use (see registry.ts) exactly like a third-party
// module calling `registerProviderModule`, so the catalog can show which
// modules use each provider. Only modules whose code exists belong here: the
// catalog's "used by" and the Remove confirmation must never name a module
// that does not run. None does yet.

export const BUILT_IN_MODULES: readonly ProviderModule[] = [];
