import { expect } from "vitest";
import { SwitchboardError } from "@/clients/typescript/src/index";

/** The SwitchboardError a client call rejects with (fails the test when it resolves or throws anything else). */
export async function caughtClientError(p: Promise<unknown>): Promise<SwitchboardError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SwitchboardError);
  return err as SwitchboardError;
}
