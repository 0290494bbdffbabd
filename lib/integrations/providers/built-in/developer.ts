import "server-only";

import type { Provider } from "../types";
import { apiKeyField } from "./fields";

export const developerProviders: Provider[] = [
  {
    key: "github_token",
    name: "GitHub (personal access token)",
    description: "Call the GitHub API with a personal access token.",
    icon: "github",
    authType: "api_key",
    setupFields: [
      apiKeyField({
        label: "Personal access token",
        placeholder: "github_pat_… or ghp_…",
        help: "A fine-grained token limited to the repositories you need is safest.",
      }),
    ],
    capabilities: ["developer"],
    validate: {
      kind: "http",
      method: "GET",
      url: "https://api.github.com/user",
      auth: { type: "bearer", field: "api_key" },
      headers: { Accept: "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28" },
      accountPath: "login",
      facts: { "Login": "login", "Name": "name" },
      errorPath: "message",
    },
    apiBaseUrl: "https://api.github.com",
    docsUrl:
      "https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/managing-your-personal-access-tokens",
    instructions: [
      "Open GitHub → Settings → Developer settings → Personal access tokens (github.com/settings/personal-access-tokens).",
      "Generate a fine-grained token with an expiry, the repositories and the permissions you need.",
      "Copy the token now: it is shown only once.",
    ],
    enabled: true,
  },
];
