import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { getProvider } from "@/lib/integrations/providers/registry";
import { validateSetupInput } from "@/lib/integrations/providers/setup-validation";
import { optionalParam, parseSearchParams, zPageParam } from "@/lib/validation/search-params";
import { isStorableText, zText } from "@/lib/validation/text";
import { loneSurrogateString, nulString } from "../support/hostile-values";

describe("storable text", () => {
  it("refuses NUL bytes and lone surrogates, keeps any other Unicode", () => {
    fc.assert(fc.property(fc.oneof(nulString, loneSurrogateString), (s) => !isStorableText(s)));
    fc.assert(fc.property(fc.string({ unit: "grapheme" }), (s) => isStorableText(s)));
    expect(isStorableText("🔑 clé \u202e")).toBe(true);
    expect(zText(5, "Name").safeParse("toolong").error?.issues[0]?.message).toBe("Name is too long (at most 5 characters)");
    expect(zText(50, "Name").safeParse("a\u0000b").error?.issues[0]?.message).toBe(
      "Name contains characters that cannot be stored (a NUL byte or broken Unicode)",
    );
    expect(zText(50, "Name").safeParse(42).error?.issues[0]?.message).toBe("Name must be text");
  });

  it("every setup field of every provider refuses them, with the field's own message and never the value", () => {
    const smtp = getProvider("smtp")!;
    const result = validateSetupInput(smtp, { host: "smtp.example.com", username: "u\u0000canary", password: "p\ud800w" });
    expect(result).toEqual({
      ok: false,
      errors: {
        username: "Username contains characters that cannot be stored (a NUL byte or broken Unicode)",
        password: "Password contains characters that cannot be stored (a NUL byte or broken Unicode)",
      },
    });
  });
});

describe("page search parameters", () => {
  const shape = { page: zPageParam, target: optionalParam(z.uuid({ error: "must be a connection id (a UUID)" })) };

  it("keeps valid values and treats an empty one as not given", () => {
    const id = "0190d6a6-1f6e-7c3a-9a51-3c1f2b9f0d11";
    expect(parseSearchParams(shape, { page: "3", target: id })).toEqual({ values: { page: 3, target: id }, invalid: [] });
    expect(parseSearchParams(shape, { target: "" })).toEqual({ values: { page: 1, target: undefined }, invalid: [] });
  });

  it("falls back to the default and reports a bad, repeated or hostile value, never throwing", () => {
    expect(parseSearchParams(shape, { page: ["1", "2"], target: "/e\u0000" })).toEqual({
      values: { page: 1, target: undefined },
      invalid: [
        { name: "page", message: "was given more than once" },
        { name: "target", message: "must be a connection id (a UUID)" },
      ],
    });
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(fc.string(), nulString, fc.array(fc.string()))), (raw) => {
        const { values } = parseSearchParams(shape, raw);
        expect(Number.isInteger(values.page) && values.page >= 1).toBe(true);
      }),
    );
  });
});
