// Idempotency-Key support: a retried submission returns the first result and never creates twice.
// The caller records the response inside the same transaction that creates the resource.
import crypto from 'node:crypto';
import type { Executor } from './outbox.js';
import { AppError } from './errors.js';

export interface StoredResponse {
  statusCode: number;
  body: unknown;
}

export function requestHash(body: unknown): string {
  return crypto
    .createHash('sha256')
    .update(JSON.stringify(body ?? null))
    .digest('base64url');
}

export function validIdempotencyKey(key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  const k = key.trim();
  if (!/^[\w.:-]{8,128}$/.test(k)) throw new AppError('request.invalid', { field: 'Idempotency-Key' });
  return k;
}

export async function findStored(
  db: Executor,
  scope: string,
  key: string,
  hash: string,
): Promise<StoredResponse | null> {
  const row = await db
    .selectFrom('idempotency_key')
    .select(['request_hash', 'status_code', 'response'])
    .where('scope', '=', scope)
    .where('key', '=', key)
    .executeTakeFirst();
  if (!row) return null;
  if (row.request_hash !== hash) throw new AppError('request.idempotency_mismatch');
  return { statusCode: row.status_code, body: JSON.parse(row.response) };
}

export async function storeResponse(
  trx: Executor,
  scope: string,
  key: string,
  hash: string,
  res: StoredResponse,
  now: Date,
): Promise<void> {
  await trx
    .insertInto('idempotency_key')
    .values({
      scope,
      key,
      request_hash: hash,
      status_code: res.statusCode,
      response: JSON.stringify(res.body),
      created_at: now.toISOString(),
    })
    .execute();
}
