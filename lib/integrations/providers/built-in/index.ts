import "server-only";

import type { Provider } from "../types";
import { aiProviders } from "./ai";
import { dataProviders } from "./data";
import { developerProviders } from "./developer";
import { emailProviders } from "./email";
import { genericProviders } from "./generic";
import { messagingProviders } from "./messaging";
import { oauthProviders } from "./oauth";
import { paymentProviders } from "./payments";
import { storageProviders } from "./storage";

/** Every built-in provider, unsorted (the registry sorts and applies the switches). */
export const builtInProviders: readonly Provider[] = [
  ...oauthProviders,
  ...aiProviders,
  ...messagingProviders,
  ...emailProviders,
  ...paymentProviders,
  ...storageProviders,
  ...dataProviders,
  ...developerProviders,
  ...genericProviders,
];
