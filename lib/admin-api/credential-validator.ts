import "server-only";
import type { TCredentialCheck } from "@/lib/integrations/service";

// The validator step of PUT credentials: the one function upsertCredentials
// runs before it writes. A provider may register its own validator; the
// others pass. When the Test Connection probe engine lands, its
// `validateCredentials(provider, values)` becomes the fallback here, so every
// provider with a probe is checked (a failed probe → 400 invalid_credentials,
// the stored row untouched).

const validators = new Map<string, TCredentialCheck>();

/** Registers a provider's validator; returns the function that removes it again. */
export function registerCredentialValidator(providerKey: string, check: TCredentialCheck): () => void {
  validators.set(providerKey, check);
  return () => {
    if (validators.get(providerKey) === check) validators.delete(providerKey);
  };
}

export const checkCredentialsBeforePut: TCredentialCheck = async (input) => {
  const check = validators.get(input.provider.key);
  return check ? check(input) : { ok: true };
};
