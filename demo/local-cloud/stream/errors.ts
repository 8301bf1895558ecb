/** Stream-format API errors: `{code, message, StatusCode, duration, more_info, details}`. */

export class StreamApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** The body the real service sends for an error; the client turns it into `StreamChat error code N: message`. */
export function errorBody(err: StreamApiError): Record<string, unknown> {
  return {
    code: err.code,
    message: err.message,
    StatusCode: err.status,
    duration: '0.00ms',
    more_info: 'https://getstream.io/chat/docs/api_errors_response',
    details: [],
  };
}

export const badInput = (op: string, detail: string) =>
  new StreamApiError(400, 4, `${op} failed with error: "${detail}"`);
export const notFound = (op: string, detail: string) =>
  new StreamApiError(404, 16, `${op} failed with error: "${detail}"`);
export const notAllowed = (op: string, detail: string) =>
  new StreamApiError(403, 17, `${op} failed with error: "${detail}"`);
export const notImplemented = (method: string, path: string) =>
  new StreamApiError(
    501,
    16,
    `${method} ${path} is not implemented by the local Stream stand-in (see demo/local-cloud/stream/README.md)`,
  );
