import "server-only";

// The single door to integration data: the UI, the REST API, MCP and the CLI
// all call these functions, never Prisma directly.

export type { TReadContext, TServiceContext } from "./context";
export type { TResult, TServiceError, TServiceErrorCode } from "./result";
export { addConnection } from "./add-connection";
export { saveSetup } from "./save-setup";
export { renameConnection } from "./rename-connection";
export { removeConnection } from "./remove-connection";
export { disconnect } from "./disconnect";
export { getIntegrationByUuid, getCredentials, type TCredentials } from "./get-connection";
export { resolveToUuid, findUuidByProviderName } from "./resolve";
export { listConnections, listIntegrations, loadAllConnections, listProviders } from "./list-connections";
export { listConnectionChoices, type TConnectionChoice } from "./list-connection-choices";
export {
  listConnectionPage,
  LIST_PAGE_SIZE,
  LIST_QUERY_MAX,
  ZListQuery,
  type TConnectionListPage,
  type TConnectionListRow,
  type TListConnectionPageInput,
} from "./list-connection-page";
export { rotateEncryptionKeys, type TRotateKeysResult, type TSkippedRow } from "./rotate-keys";
export { countStaleSecrets, keyStatus, type TKeyStatus } from "./key-status";
export { generateEncryptionKey } from "./generate-key";
export { settingsKey } from "@/lib/integrations/settings-key";
export { authorizationUrl } from "./oauth-authorize";
export { completeAuthorization, getAuthorizationOutcome, type TCallbackOutcome } from "./oauth-callback";
export { refreshAccessToken, type TFreshToken } from "./refresh-token";
export { authenticatedRequest, authenticatedRequestStream, type TAuthenticatedRequest, type TUpstreamLimits, type TUpstreamResponse, type TUpstreamStream } from "./authenticated-request";
export { validateCredentials, type TValidateCredentialsInput } from "./validate-credentials";
export { validateConnection, type TValidatedConnection } from "./validate-connection";
export { recordValidation, type TRecordValidationInput, type TRecordedValidation } from "./record-validation";
// The admin integration API's operations (by provider and name).
export { upsertCredentials, type TUpsertCredentialsResult } from "./upsert-credentials";
export { removeCredentialsByKey } from "./remove-credentials-by-key";
export { listIntegrationStates, type TIntegrationState } from "./list-integration-states";
