import "server-only";

export { runProbe, hasProbe } from "./run-probe";
export { privateKeyProblem } from "./sftp-probe";
export { PROBE_CODES, type TProbeCode, type TProbeResult, type TProbeValues, type TProbeAccount } from "./types";
