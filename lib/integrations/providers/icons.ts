// Client-safe (no "server-only"): the catalog renders these in the browser.
// Only the icons the built-in providers use are imported, one by one, so the
// bundle carries a few paths instead of the whole simple-icons set. Brands
// simple-icons no longer ships (Microsoft, OpenAI, Slack, AWS, Twilio,
// SendGrid, xAI…) and protocol providers use "generic": providerIcon returns
// null and the UI shows its neutral fallback.
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

export type ProviderIcon = { path: string; hex: string; title: string };

const ICONS: Record<string, SimpleIcon> = Object.fromEntries(
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

/** The icon for a provider's `icon` slug, or null for "generic" and unknown slugs. */
export function providerIcon(slug: string): ProviderIcon | null {
  const icon = Object.hasOwn(ICONS, slug) ? ICONS[slug] : undefined;
  return icon ? { path: icon.path, hex: icon.hex, title: icon.title } : null;
}
