import "server-only";

import type { Provider } from "../types";
import { apiKeyField } from "./fields";

export const paymentProviders: Provider[] = [
  {
    key: "stripe",
    name: "Stripe",
    description: "Payments, subscriptions and invoicing through the Stripe API.",
    icon: "stripe",
    authType: "api_key",
    setupFields: [
      apiKeyField({
        label: "Secret key",
        placeholder: "sk_live_… or rk_live_…",
        help: "A secret key or a restricted key; test-mode keys (sk_test_…) work too.",
      }),
    ],
    capabilities: ["payments"],
    validate: {
      kind: "http",
      method: "GET",
      url: "https://api.stripe.com/v1/balance",
      auth: { type: "bearer", field: "api_key" },
      // Stripe's error text repeats part of the key ("Invalid API Key provided: sk_test_…1234"): not shown.
      facts: { "Live mode": "livemode", "Available": "available.0.amount", "Currency": "available.0.currency" },
    },
    apiBaseUrl: "https://api.stripe.com/v1",
    docsUrl: "https://docs.stripe.com/keys",
    instructions: [
      "In the Stripe Dashboard open Developers → API keys (dashboard.stripe.com/apikeys).",
      "Prefer Create restricted key with only the permissions you need.",
      "Copy the key here; live-mode secret keys are shown only once.",
    ],
    enabled: true,
  },
];
