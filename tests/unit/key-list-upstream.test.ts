import { describe, expect, it } from "vitest";
import { readPath } from "@/lib/integrations/probes/json-path";
import { builtInProviders } from "@/lib/integrations/providers/built-in";
import { ACCEPTED_BODY } from "@/tests/support/standins/key-list-upstream";

// The admin API tests' provider upstream must let every HTTP probe pass for a
// key it knows: a provider whose new `checks` its answer does not meet would
// make PUT refuse a valid key there (and those tests fail for the wrong reason).

describe("key-list upstream", () => {
  it("answers a known key with a body that meets every built-in provider's checks", () => {
    const unmet = builtInProviders.flatMap((p) =>
      p.validate.kind === "http" ? (p.validate.checks ?? []).filter((c) => readPath(ACCEPTED_BODY, c.path) !== c.equals).map((c) => `${p.key}: ${c.path}`) : [],
    );
    expect(unmet).toEqual([]);
    expect(builtInProviders.some((p) => p.validate.kind === "http" && (p.validate.checks?.length ?? 0) > 0)).toBe(true);
  });
});
