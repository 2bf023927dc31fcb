// Multi-row inserts without rebuilding the query each time. Kysely compiles the INSERT once per
// table, column list and row count (in the executor's own dialect); later calls only bind new
// values. Used on hot write paths; the SQL is exactly what Kysely's builder produces.
import { CompiledQuery } from 'kysely';
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

const compiled = new Map<string, string>();

export async function insertRows<T extends keyof Database & string>(
  db: Executor,
  table: T,
  rows: readonly Insertable<Database[T]>[],
): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const cols = Object.keys(first);
  const values = rows.map((r) => {
    const rec = r as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const c of cols) out[c] = rec[c] === undefined ? null : rec[c];
    return out;
  });
  const dialect = db.getExecutor().adapter.constructor.name;
  const key = `${dialect}\u0000${table}\u0000${rows.length}\u0000${cols.join(',')}`;
  let text = compiled.get(key);
  if (text === undefined) {
    text = db
      .insertInto(table)
      .values(values as never)
      .compile().sql;
    if (compiled.size > 2000) compiled.clear();
    compiled.set(key, text);
  }
  const params: unknown[] = [];
  for (const v of values) for (const c of cols) params.push(v[c]);
  await db.executeQuery(CompiledQuery.raw(text, params));
}
