/** The server's answers to what it cannot do: a KeyscopeError with its HTTP status; every error body is {error:{code,message}}. */
import { type ErrorCode, KeyscopeError } from '../core/index.js';

export class ServerError extends KeyscopeError {
  readonly status: number;

  constructor(status: number, code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.status = status;
  }
}

export interface ErrorBody {
  error: { code: string; message: string; retryable: boolean };
}

/** Statuses a client may retry as they are: the server or its database was busy or away, nothing was stored. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504;
}

export function errorBody(status: number, code: string, message: string): ErrorBody {
  return { error: { code, message, retryable: isRetryableStatus(status) } };
}
