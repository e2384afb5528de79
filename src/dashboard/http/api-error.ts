/**
 * The dashboard's failures as KeyscopeErrors with the HTTP status they answer with. Every 4xx/5xx body is the
 * one-line ApiError JSON, so the app and scripts read one shape.
 */
import { type ErrorCode, KeyscopeError } from '../../core/index.js';
import type { ApiError } from './api-types.js';

export class DashboardError extends KeyscopeError {
  readonly status: number;

  constructor(status: number, code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.status = status;
  }
}

export function apiErrorBody(code: string, message: string): ApiError {
  return { error: { code, message } };
}
