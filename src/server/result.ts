// Errors as values: handlers return a Result, and only the dispatcher turns a failure into an
// LSP ResponseError, so no handler throws for an expected problem (a bad selection, no trust).

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(message: string): Result<T> => ({ ok: false, message });

export { messageOf } from '../core/text';
