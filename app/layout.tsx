import type { Metadata } from "next";
import { connection } from "next/server";
import { Toaster } from "sonner";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Switchboard", template: "%s · Switchboard" },
  description: "Credentials for your external service integrations, in one place.",
  // The mark in public/; favicon.ico is the same drawing for browsers that ask for it by name.
  icons: { icon: [{ url: "/icon.svg", type: "image/svg+xml" }, { url: "/favicon.ico", sizes: "16x16 32x32 48x48" }] },
  // An admin app: nothing here is for search engines (public/robots.txt says the same).
  robots: { index: false, follow: false },
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page renders per request: its scripts carry that request's CSP nonce
  // (proxy.ts). A page prerendered at build time would have none and be blocked.
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen bg-zinc-50 text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        {children}
        <Toaster richColors closeButton position="top-center" theme="system" />
      </body>
    </html>
  );
}
