import type { RelayErrorCode } from './generated/error-codes.js';

/**
 * Stable error codes carried by `Error.code` on the wire, and the WebSocket close code of each (used
 * when the error closes the connection; the `Error.close_code` field says whether it does). Generated
 * from the registry packages/protocol/contracts/error-codes.json; documented in docs/errors.md.
 */
export { RelayErrorCode, RELAY_ERROR_CLOSE_CODE } from './generated/error-codes.js';

/** Name of a relay error. */
export type RelayErrorName = keyof typeof RelayErrorCode;
/** Stable string code of a relay error. */
export type RelayErrorCodeValue = (typeof RelayErrorCode)[RelayErrorName];
