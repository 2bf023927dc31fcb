// The real Jiedao server on an existing DATA_DIR (the dashboard benchmark's cached database): config
// from the environment, migrations (none pending), no demo seed, the outbox worker running as in
// production. Prints {"ready":true,"port":N,…} on stdout once it listens; SIGTERM closes it cleanly.
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';

const config = loadConfig();
if (config.databaseUrl) throw new Error('dashboard-server: this benchmark server runs on SQLite only');
const built = await buildApp({ config, startWorker: true });
const { app, ctx } = built;
await app.listen({ port: config.port, host: config.host });
const address = app.server.address() as AddressInfo;
process.stdout.write(
  JSON.stringify({ ready: true, port: address.port, pid: process.pid, dialect: ctx.db.dialect }) + '\n',
);

let closing = false;
async function shutdown(): Promise<void> {
  if (closing) return;
  closing = true;
  try {
    await built.close();
    process.exit(0);
  } catch (err) {
    console.error('dashboard-server: shutdown failed', err);
    process.exit(1);
  }
}
process.once('SIGTERM', () => void shutdown());
process.once('SIGINT', () => void shutdown());
