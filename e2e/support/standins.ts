import { startApiStandIns, type TApiStandIn } from "../../tests/support/standins/api-providers";
import { startSmtpStandIn, type TSmtpStandIn } from "../../tests/support/standins/smtp";

// The provider stand-ins, on the ports scripts/e2e.mjs picked and
// playwright.config.ts pointed the server at (base URLs, allow-list, CA).

export const STANDIN_HTTP_PORT = Number(process.env.E2E_STANDIN_HTTP_PORT);
export const STANDIN_SMTP_PORT = Number(process.env.E2E_STANDIN_SMTP_PORT);

export type TE2eStandIns = { api: TApiStandIn; smtp: TSmtpStandIn; close(): Promise<void> };

export async function startE2eStandIns(): Promise<TE2eStandIns> {
  const api = await startApiStandIns(STANDIN_HTTP_PORT);
  const smtp = await startSmtpStandIn({ port: STANDIN_SMTP_PORT });
  return { api, smtp, close: async () => void (await Promise.all([api.close(), smtp.close()])) };
}
