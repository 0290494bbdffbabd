import { readFileSync } from "node:fs";
import path from "node:path";

// The stand-ins' TLS certificate: self-signed, for localhost, standin.test and
// 127.0.0.1, test-only (never trusted outside the suite). The app trusts it
// through SWITCHBOARD_OUTBOUND_CA_FILE=STANDIN_CA_FILE, as an operator would
// trust an internal CA.

const dir = path.join(import.meta.dirname, "fixtures");
export const STANDIN_CA_FILE = path.join(dir, "standin-cert.pem");
export const STANDIN_CERT = readFileSync(STANDIN_CA_FILE, "utf8");
export const STANDIN_KEY = readFileSync(path.join(dir, "standin-key.pem"), "utf8");
