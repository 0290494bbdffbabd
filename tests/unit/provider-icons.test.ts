import fs from "node:fs";
import path from "node:path";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ProviderIcon } from "@/components/integrations/provider-icon";
import { BRAND_LOGOS } from "@/lib/integrations/providers/brand-logos";
import { builtInProviders } from "@/lib/integrations/providers/built-in";
import { isKnownIcon, providerIcon } from "@/lib/integrations/providers/icons";
import { OUTPUT, renderBrandLogos } from "@/scripts/provider-logos.mjs";

const ROOT = path.resolve(import.meta.dirname, "../..");

function decode(src: string): string {
  expect(src.startsWith("data:image/svg+xml,")).toBe(true);
  return decodeURIComponent(src.slice("data:image/svg+xml,".length));
}

describe("provider icons", () => {
  it.each(builtInProviders.map((p) => [p.key, p] as const))("%s shows a real logo or a designed glyph, never initials", (_key, p) => {
    expect(isKnownIcon(p.icon), `icon "${p.icon}"`).toBe(true);
    const icon = providerIcon(p.icon);
    expect(["logo", "glyph"]).toContain(icon.kind);
    const svg = decode(icon.src);
    expect(svg).toMatch(/^<svg xmlns='http:\/\/www\.w3\.org\/2000\/svg' viewBox='[\d. -]+'[^>]*>/);
    expect(svg).toMatch(/<(path|rect|circle|ellipse)\b/);
    expect(svg.endsWith("</svg>")).toBe(true);

    // What the browser gets: one decorative picture, no text at all (the name is written beside it).
    const html = renderToStaticMarkup(ProviderIcon({ provider: { name: p.name, icon } }));
    expect(html).toMatch(/^<span aria-hidden="true" data-icon="(logo|glyph)"[^>]*><img src="data:image\/svg\+xml,[^"]+" alt=""[^>]*\/><\/span>$/);
    expect(html.replace(/<[^>]+>/g, "")).toBe("");
  });

  it("gives brands their logo and protocols and generic providers a glyph", () => {
    const kind = (key: string) => providerIcon(builtInProviders.find((p) => p.key === key)!.icon).kind;
    for (const key of ["openai", "microsoft", "slack", "twilio", "xai", "groq", "sendgrid", "aws_ses", "postgresql", "stripe"]) expect(kind(key), key).toBe("logo");
    for (const key of ["smtp", "sftp", "s3", "generic_oauth2", "generic_api_key"]) expect(kind(key), key).toBe("glyph");
  });

  it("falls back to the generic glyph for an unknown slug", () => {
    expect(isKnownIcon("nosuchbrand")).toBe(false);
    expect(providerIcon("nosuchbrand")).toEqual(providerIcon("generic"));
    expect(providerIcon("generic").kind).toBe("glyph");
  });

  it("bundles only the copied logos the built-in providers use, as generated from the installed sets", () => {
    const used = new Set(builtInProviders.map((p) => p.icon));
    for (const slug of Object.keys(BRAND_LOGOS)) expect(used.has(slug), `${slug} is used`).toBe(true);
    // Out of date (a package updated, a logo added by hand) → run `node scripts/provider-logos.mjs`.
    expect(fs.readFileSync(OUTPUT, "utf8")).toBe(renderBrandLogos());
  });

  it("keeps the icon data on the server: no client component imports it", () => {
    const clientFiles = ["app", "components"]
      .flatMap((dir) => fs.readdirSync(path.join(ROOT, dir), { recursive: true, encoding: "utf8" }).map((f) => path.join(ROOT, dir, f)))
      .filter((f) => /\.(ts|tsx)$/.test(f) && /^["']use client["']/m.test(fs.readFileSync(f, "utf8")));
    expect(clientFiles.length).toBeGreaterThan(0);
    for (const file of clientFiles) {
      const text = fs.readFileSync(file, "utf8");
      expect(text, path.relative(ROOT, file)).not.toMatch(/providers\/(icons|brand-logos)|simple-icons/);
    }
  });
});
