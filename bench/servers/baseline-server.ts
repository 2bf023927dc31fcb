// The `intake` benchmark's baseline: a minimal Fastify server whose one route parses the same JSON
// body and inserts one row into a SQLite file opened by the server's own `connect` (so the same
// pragmas: WAL, synchronous=NORMAL, foreign keys, busy_timeout, cache size). No auth, no validation,
// no logging. Prints {"ready":true,"port":N} on stdout once it listens; SIGTERM closes it.
//
// BASELINE_MODE=raw (default): one prepared better-sqlite3 statement (the floor: HTTP + one durable
// insert). BASELINE_MODE=kysely: the same insert through Kysely, as the application issues queries.
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { connect } from '../../server/src/db/connect.js';
import { newId } from '../../server/src/kernel/ids.js';

const dataDir = process.env.DATA_DIR;
if (!dataDir) throw new Error('baseline-server: DATA_DIR is required');
const mode = process.env.BASELINE_MODE === 'kysely' ? 'kysely' : 'raw';
const db = connect({ sqliteFile: path.join(dataDir, 'baseline.sqlite') });
const sqlite = db.sqlite;
if (!sqlite) throw new Error('baseline-server: expected SQLite');
sqlite.exec(
  'create table if not exists bench_row (id text primary key, payload text not null, created_at text not null)',
);
const insert = sqlite.prepare('insert into bench_row (id, payload, created_at) values (?, ?, ?)');

const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
app.post('/rows', async (req, reply) => {
  const id = newId();
  const payload = JSON.stringify(req.body);
  const createdAt = new Date().toISOString();
  if (mode === 'raw') insert.run(id, payload, createdAt);
  else
    await sql`insert into bench_row (id, payload, created_at) values (${id}, ${payload}, ${createdAt})`.execute(
      db.kysely,
    );
  return reply.code(201).send({ id });
});

await app.listen({ port: Number(process.env.PORT ?? 0), host: process.env.HOST ?? '127.0.0.1' });
const address = app.server.address() as AddressInfo;
process.stdout.write(JSON.stringify({ ready: true, port: address.port, pid: process.pid, mode }) + '\n');

let closing = false;
async function shutdown(): Promise<void> {
  if (closing) return;
  closing = true;
  await app.close();
  await db.close();
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown());
process.once('SIGINT', () => void shutdown());
