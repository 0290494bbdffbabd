import "server-only";

import { env, providerBaseUrlOverrides } from "@/lib/env";

import { withAllowedHostsField } from "./allowed-hosts-field";
import { withBaseUrl } from "./base-url-override";
import { builtInProviders } from "./built-in";
import { BUILT_IN_MODULES } from "./modules";
import { describeIssues, ZProvider, ZProviderModule } from "./provider-schema";
import type { Provider, ProviderModule } from "./types";

// The provider registry: built-in definitions plus what modules contribute,
// with the platform switches (disabled providers, base-URL overrides) applied.
// Computed once per process; registering a module or clearProviderCache()
// recomputes it.

const registeredModules: { name: string; providers: Provider[]; uses: string[] }[] = [];
let seeded = false;

type Computed = {
  list: Provider[];
  byKey: Map<string, Provider>;
  usedBy: Record<string, string[]>;
};
let cache: Computed | undefined;
let secretKeys: Set<string> | undefined;

function seedBuiltInModules(): void {
  if (seeded) return;
  seeded = true;
  for (const mod of BUILT_IN_MODULES) registerProviderModule(mod);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function compute(): Computed {
  seedBuiltInModules();
  const disabled = new Set(env().SWITCHBOARD_DISABLED_PROVIDERS);
  const overrides = providerBaseUrlOverrides();
  const all: Provider[] = [];
  for (const p of builtInProviders) {
    const parsed = ZProvider.safeParse(p);
    if (!parsed.success) throw new Error(`Built-in provider "${p.key}" is invalid: ${describeIssues(parsed.error)}`);
    all.push(parsed.data);
  }
  for (const m of registeredModules) all.push(...m.providers);

  const list = all
    .map((p) => {
      const override = overrides[p.key];
      const withOverride = withAllowedHostsField(override !== undefined ? withBaseUrl(p, override) : { ...p });
      withOverride.enabled = p.enabled && !disabled.has(p.key);
      return deepFreeze(withOverride);
    })
    .sort((a, b) => a.name.localeCompare(b.name, "en", { sensitivity: "base" }) || a.key.localeCompare(b.key));

  const usedBy: Record<string, string[]> = {};
  for (const m of registeredModules) {
    for (const key of [...m.providers.map((p) => p.key), ...m.uses]) {
      const names = (usedBy[key] ??= []);
      if (!names.includes(m.name)) names.push(m.name);
    }
  }
  return { list, byKey: new Map(list.map((p) => [p.key, p])), usedBy };
}

function computed(): Computed {
  cache ??= compute();
  return cache;
}

/** All providers (built-in + contributed), sorted by name, switches applied. */
export function listProviders(): Provider[] {
  return computed().list.slice();
}

/** Looks up "google" or "google:personal" (the connection name is ignored). */
export function getProvider(keyOrKeyWithName: string): Provider | undefined {
  const colon = keyOrKeyWithName.indexOf(":");
  const key = colon === -1 ? keyOrKeyWithName : keyOrKeyWithName.slice(0, colon);
  return computed().byKey.get(key.trim());
}

/**
 * The key of every secret setup field of every provider, built-in or
 * contributed (the logger redacts them). Needs no environment, so it works
 * even while the configuration is being reported as invalid.
 */
export function secretFieldKeys(): ReadonlySet<string> {
  seedBuiltInModules();
  secretKeys ??= new Set(
    [...builtInProviders, ...registeredModules.flatMap((m) => m.providers)].flatMap((p) =>
      p.setupFields.filter((f) => f.secret).map((f) => f.key),
    ),
  );
  return secretKeys;
}

/** providerKey → names of the modules that use (or contribute) it. */
export function usedByModules(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(computed().usedBy)) out[k] = [...v];
  return out;
}

/**
 * Registers a module's providers and the providers it uses. Each contributed
 * provider is validated against `ZProvider`; a key that already exists
 * (built-in or from another module) or a module name registered twice is
 * rejected with an Error and nothing is registered.
 */
export function registerProviderModule(mod: ProviderModule): void {
  seedBuiltInModules();
  const shape = ZProviderModule.safeParse(mod);
  if (!shape.success) throw new Error(`Invalid provider module: ${describeIssues(shape.error)}`);
  const name = shape.data.name;
  if (registeredModules.some((m) => m.name === name)) {
    throw new Error(`Provider module "${name}" is already registered`);
  }
  const taken = new Map<string, string>();
  for (const p of builtInProviders) taken.set(p.key, "a built-in provider");
  for (const m of registeredModules) for (const p of m.providers) taken.set(p.key, `module "${m.name}"`);

  const providers: Provider[] = [];
  (mod.providers ?? []).forEach((candidate, i) => {
    const parsed = ZProvider.safeParse(candidate);
    if (!parsed.success) {
      const label = typeof candidate?.key === "string" ? `"${candidate.key}"` : `#${i}`;
      throw new Error(`Provider module "${name}": provider ${label} is invalid: ${describeIssues(parsed.error)}`);
    }
    const owner = taken.get(parsed.data.key);
    if (owner !== undefined) {
      throw new Error(
        `Provider module "${name}": duplicate provider key "${parsed.data.key}" (already defined by ${owner})`,
      );
    }
    taken.set(parsed.data.key, `module "${name}"`);
    providers.push(parsed.data);
  });

  registeredModules.push({ name, providers, uses: [...new Set(shape.data.uses ?? [])] });
  cache = undefined;
  secretKeys = undefined;
}

/** Removes a module registered with registerProviderModule; false when unknown. */
export function unregisterProviderModule(name: string): boolean {
  const i = registeredModules.findIndex((m) => m.name === name);
  if (i === -1) return false;
  registeredModules.splice(i, 1);
  cache = undefined;
  secretKeys = undefined;
  return true;
}

/** Forget the computed list (tests change the environment between cases). */
export function clearProviderCache(): void {
  cache = undefined;
}
