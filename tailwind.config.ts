import type { Config } from "tailwindcss";

// Tailwind v4 is configured from CSS; app/globals.css loads this file with
// `@config` for the few settings kept in JavaScript.
export default {
  content: ["./app/**/*.{ts,tsx}", "./components/**/*.{ts,tsx}"],
  darkMode: "media",
  theme: {
    extend: {
      fontFamily: {
        sans: ["ui-sans-serif", "system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"],
      },
    },
  },
} satisfies Config;
