/**
 * Errors in Virgil's wire format: `{"code": <number>, "message": "<text>"}`.
 * The clients read `code` as a number (the cards client retries only on exactly 20304), so codes stay numeric.
 */

/** Every error code this stand-in answers with; the README lists them with their meaning. */
export const VirgilErrorCode = {
  Internal: 10000,
  CardNotFound: 10001,
  AuthorizationMissing: 20300,
  TokenMalformed: 20301,
  TokenHeaderInvalid: 20302,
  TokenSignatureInvalid: 20303,
  TokenExpired: 20304,
  TokenUnknownAppKeyId: 20305,
  TokenWrongApp: 20306,
  TokenSubjectInvalid: 20307,
  BadRequest: 40000,
  UnsupportedField: 40001,
  CardInvalid: 40010,
  CardIdentityMismatch: 40011,
  CardSelfSignatureInvalid: 40012,
  CardPreviousInvalid: 40013,
  CardAlreadyExists: 40014,
  CardKeyTypeUnsupported: 40015,
  TooManyIdentities: 40016,
  NotCardOwner: 40300,
  NotFound: 40400,
  MethodNotAllowed: 40500,
  BodyTooLarge: 41300,
  KeyknoxPreviousHashMismatch: 50010,
} as const;

export type VirgilErrorCode = (typeof VirgilErrorCode)[keyof typeof VirgilErrorCode];

export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 500;

/** A failure that becomes an HTTP error response in Virgil's format. */
export class VirgilError extends Error {
  override readonly name = 'VirgilError';
  constructor(
    readonly status: ErrorStatus,
    readonly code: VirgilErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Shorthand for the common 400 with a message naming the offending field. */
export function badRequest(message: string, code: VirgilErrorCode = VirgilErrorCode.BadRequest): VirgilError {
  return new VirgilError(400, code, message);
}
