// The one error type routes and services throw: an HTTP status, a stable code the logs and the
// UI key on, and a sentence for a person. The errors plugin turns it into application/problem+json.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra members of the problem document (e.g. the list of lab errors of an import). */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function notFound(what: string, id: string): ApiError {
  return new ApiError(404, `${what.toUpperCase().replace(/\W+/g, '_')}_NOT_FOUND`, `no ${what} with id "${id}"`);
}
