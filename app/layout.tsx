import type { Metadata } from "next";
import { connection } from "next/server";
import { Toaster } from "sonner";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Switchboard", template: "%s · Switchboard" },
  description: "Credentials for your external service integrations, in one place.",
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
