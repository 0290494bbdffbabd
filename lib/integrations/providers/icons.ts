// Client-safe (no "server-only"): display data only. Every provider gets a
// picture, never initials: a brand logo — from simple-icons (imported one by
// one) or, for brands it lacks, from the copies in brand-logos.ts (generated
// from two maintained sets, only the logos used) — or, for protocols and
// generic providers, one of the neutral glyphs drawn below. The browser gets
// each as a small SVG data URI on an <img>, so logos with gradients never
// clash over element ids on a page that shows one several times.
import {
  siAnthropic,
  siBrevo,
  siDeepseek,
  siDiscord,
  siElevenlabs,
  siGithub,
  siGoogle,
  siGooglegemini,
  siHubspot,
  siMistralai,
  siOpenrouter,
  siPostgresql,
  siStripe,
  siTelegram,
  type SimpleIcon,
} from "simple-icons";
import { BRAND_LOGOS } from "./brand-logos";

export type TProviderIcon = { kind: "logo" | "glyph"; title: string; src: string };

const SIMPLE_ICONS: Record<string, SimpleIcon> = Object.fromEntries(
  [
    siAnthropic,
    siBrevo,
    siDeepseek,
    siDiscord,
    siElevenlabs,
    siGithub,
    siGoogle,
    siGooglegemini,
    siHubspot,
    siMistralai,
    siOpenrouter,
    siPostgresql,
    siStripe,
    siTelegram,
  ].map((i) => [i.slug, i]),
);

// The glyphs: 24 × 24, zinc strokes with one indigo accent, drawn for this app.
const INK = 'fill="none" stroke="#3f3f46" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"';
const ACCENT = 'fill="none" stroke="#4f46e5" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"';
const GLYPHS: Record<string, { title: string; body: string }> = {
  /** SMTP and mail services without a logo. */
  mail: {
    title: "Email",
    body: `<rect x="3" y="5.5" width="18" height="13" rx="2" ${INK}/><path d="M3.8 7.2 12 13l8.2-5.8" ${ACCENT}/>`,
  },
  /** S3-compatible object storage (any vendor). */
  bucket: {
    title: "Object storage",
    body: `<ellipse cx="12" cy="6.5" rx="8" ry="2.5" ${INK}/><path d="M4 6.5 5.8 18.4c.2 1.3 2.9 2.1 6.2 2.1s6-.8 6.2-2.1L20 6.5" ${INK}/><path d="M4.9 12.4c1.4.9 4 1.5 7.1 1.5s5.7-.6 7.1-1.5" ${ACCENT}/>`,
  },
  /** SFTP: files to and from a server. */
  fileserver: {
    title: "File transfer",
    body: `<path d="M3 7.5A2 2 0 0 1 5 5.5h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z" ${INK}/><path d="M9.5 11v5M8 14.5l1.5 1.5 1.5-1.5M14.5 16v-5M13 12.5l1.5-1.5 1.5 1.5" ${ACCENT}/>`,
  },
  /** A generic API key. */
  apikey: {
    title: "API key",
    body: `<circle cx="8" cy="15.5" r="4.5" ${INK}/><path d="M11.2 12.3 20 3.5M16.5 7l2.5 2.5M14.2 9.3l2 2" ${INK}/><circle cx="8" cy="15.5" r="1.2" ${ACCENT}/>`,
  },
  /** A generic OAuth 2.0 authorization server. */
  oauth: {
    title: "OAuth 2.0",
    body: `<path d="M12 3 19.5 6v5.2c0 4.6-3.1 8.4-7.5 9.8-4.4-1.4-7.5-5.2-7.5-9.8V6z" ${INK}/><path d="m8.8 12 2.2 2.2 4.3-4.4" ${ACCENT}/>`,
  },
  /** Anything else: a plug. Module-contributed providers without a logo get it. */
  generic: {
    title: "Integration",
    body: `<path d="M9 3.5v4M15 3.5v4M6.5 7.5h11v3.5a5.5 5.5 0 0 1-11 0z" ${INK}/><path d="M12 16.5v4" ${ACCENT}/>`,
  },
};

function dataUri(svg: string): string {
  // Readable and compact: only the characters a data URI cannot carry are escaped.
  return `data:image/svg+xml,${svg.replace(/"/g, "'").replace(/[\r\n%#<>?[\\\]^`{|}]/g, encodeURIComponent)}`;
}

function build(slug: string): TProviderIcon | undefined {
  const simple = Object.hasOwn(SIMPLE_ICONS, slug) ? SIMPLE_ICONS[slug] : undefined;
  if (simple) {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path fill="#${simple.hex}" d="${simple.path}"/></svg>`;
    return { kind: "logo", title: simple.title, src: dataUri(svg) };
  }
  const brand = Object.hasOwn(BRAND_LOGOS, slug) ? BRAND_LOGOS[slug] : undefined;
  if (brand) return { kind: "logo", title: brand.title, src: dataUri(brand.svg) };
  const glyph = Object.hasOwn(GLYPHS, slug) ? GLYPHS[slug] : undefined;
  if (glyph) {
    return { kind: "glyph", title: glyph.title, src: dataUri(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">${glyph.body}</svg>`) };
  }
  return undefined;
}

const cache = new Map<string, TProviderIcon>();

/** Whether a provider's `icon` slug names a logo or a glyph (unknown slugs fall back to the plug). */
export function isKnownIcon(slug: string): boolean {
  return build(slug) !== undefined;
}

/** The picture for a provider's `icon` slug: its logo, its glyph, or the generic plug. */
export function providerIcon(slug: string): TProviderIcon {
  let icon = cache.get(slug);
  if (!icon) {
    icon = build(slug) ?? build("generic")!;
    cache.set(slug, icon);
  }
  return icon;
}
