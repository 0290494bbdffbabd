import "server-only";

import type { Provider } from "../types";
import { botTokenField } from "./fields";

/** A BotFather token: the bot's numeric id, a colon, the secret part. */
export const TELEGRAM_TOKEN_PATTERN = "^\\d+:[A-Za-z0-9_-]{30,}$";
export const TELEGRAM_TOKEN_MESSAGE = "Bot token must look like 123456789:AA… (the bot's id, a colon, then at least 30 letters, digits, - or _)";

export const messagingProviders: Provider[] = [
  {
    key: "telegram",
    name: "Telegram",
    description: "Send and receive messages as a Telegram bot.",
    icon: "telegram",
    authType: "bot_token",
    setupFields: [botTokenField("The token @BotFather gives you, like 123456789:AA…")],
    capabilities: ["messaging"],
    validate: {
      kind: "http",
      method: "GET",
      // Telegram wants the token literally, colon included (`bot123:AA…`), not percent-encoded:
      // reserved expansion, after the token's format has been checked.
      url: "https://api.telegram.org/bot{+bot_token}/getMe",
      auth: { type: "path", field: "bot_token", pattern: TELEGRAM_TOKEN_PATTERN, patternMessage: TELEGRAM_TOKEN_MESSAGE },
      checks: [{ path: "ok", equals: true, message: "Telegram did not accept the bot token." }],
      accountPath: "result.username",
      facts: { "Bot": "result.first_name", "Username": "result.username" },
      errorPath: "description",
    },
    apiBaseUrl: "https://api.telegram.org",
    docsUrl: "https://core.telegram.org/bots/features#botfather",
    instructions: [
      "Open a chat with @BotFather in Telegram and send /newbot.",
      "Choose a display name and a username ending in \"bot\".",
      "Copy the HTTP API token BotFather replies with.",
    ],
    enabled: true,
  },
  {
    key: "discord",
    name: "Discord",
    description: "Post and read messages in Discord servers as a bot.",
    icon: "discord",
    authType: "bot_token",
    setupFields: [botTokenField("From the Bot page of your application in the Developer Portal.")],
    capabilities: ["messaging"],
    validate: {
      kind: "http",
      method: "GET",
      url: "https://discord.com/api/v10/users/@me",
      auth: { type: "header", header: "Authorization", field: "bot_token", prefix: "Bot " },
      accountPath: "username",
      facts: { "Bot": "username", "Application id": "id" },
      errorPath: "message",
    },
    apiBaseUrl: "https://discord.com/api/v10",
    docsUrl: "https://discord.com/developers/docs/quick-start/getting-started",
    instructions: [
      "Open the Discord Developer Portal (discord.com/developers/applications) → New Application.",
      "On the Bot page click Reset Token and copy the token.",
      "Invite the bot to your server with OAuth2 → URL Generator (scope \"bot\").",
    ],
    enabled: true,
  },
  {
    key: "twilio",
    name: "Twilio",
    description: "SMS, WhatsApp and voice calls through Twilio's REST API.",
    icon: "twilio",
    authType: "key_secret",
    setupFields: [
      {
        key: "account_sid",
        label: "Account SID",
        type: "text",
        required: true,
        secret: false,
        placeholder: "AC…",
      },
      {
        key: "key_sid",
        label: "API key SID or Account SID",
        type: "text",
        required: true,
        secret: false,
        placeholder: "SK… or AC…",
        help: "An API key SID (SK…, recommended), or your Account SID again when you use the auth token.",
      },
      {
        key: "key_secret",
        label: "API key secret or auth token",
        type: "password",
        required: true,
        secret: true,
        help: "The secret of that API key, or the account's auth token.",
      },
    ],
    capabilities: ["messaging", "voice"],
    validate: {
      kind: "http",
      method: "GET",
      url: "https://api.twilio.com/2010-04-01/Accounts/{account_sid}.json",
      auth: { type: "basic", usernameField: "key_sid", passwordField: "key_secret" },
      checks: [{ path: "status", equals: "active", message: "The Twilio account is not active (suspended or closed)." }],
      accountPath: "friendly_name",
      facts: { "Account": "friendly_name", "Type": "type", "Status": "status" },
      errorPath: "message",
    },
    apiBaseUrl: "https://api.twilio.com/2010-04-01",
    docsUrl: "https://www.twilio.com/docs/iam/api-keys",
    instructions: [
      "In the Twilio Console (console.twilio.com) copy the Account SID from Account Info.",
      "Create an API key under Account → API keys & tokens and copy its SID and secret (shown once).",
      "Or use the Account SID with the account's auth token instead of an API key.",
    ],
    enabled: true,
  },
];
