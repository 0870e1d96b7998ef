// The server's settings, read once from the client's initializationOptions (ServerInitOptions).
// The server reads no other configuration: a changed setting restarts the server.
import type { ServerInitOptions } from '../shared/protocol';
import { defaultWarehouse } from '../core/warehouse';

export type ServerConfig = ServerInitOptions;

/**
 * Validates what the client sent. A client that says nothing about trust gets an untrusted server:
 * indexing and hovers work, nothing executes (ARCHITECTURE.md invariant 3).
 */
export function readInitOptions(raw: unknown): ServerConfig {
  const o = (raw && typeof raw === 'object' ? raw : {}) as Partial<Record<keyof ServerInitOptions, unknown>>;
  const threads = typeof o.threads === 'number' && Number.isFinite(o.threads) && o.threads >= 1 ? Math.floor(o.threads) : 4;
  return {
    trusted: o.trusted === true,
    warehouse: typeof o.warehouse === 'string' && o.warehouse.trim() ? o.warehouse.trim() : defaultWarehouse,
    threads,
    automation: o.automation === true,
  };
}
