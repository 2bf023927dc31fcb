// `npm start`: migrate, seed the demo subdistrict on first start (not in production), serve.
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { SwitchableClock } from './kernel/clock.js';
import { seedDemo } from './seed/demo.js';

async function main() {
  const config = loadConfig();
  const clock = new SwitchableClock();
  const built = await buildApp({ config, clock, startWorker: false });
  const { app, ctx, services } = built;
  if (config.demoSeed) {
    const report = await seedDemo(ctx, services, { clock, cases: config.demoCases });
    if (!report.skipped)
      ctx.log.info(
        `Demo subdistrict seeded: ${report.grids} grids, ${report.cases} cases. Staff password: jiedao-demo`,
      );
  }
  built.startWorker();
  await app.listen({ port: config.port, host: config.host });
  ctx.log.info(
    `Jiedao (${ctx.db.dialect}) listening on ${config.publicUrl} — API docs at ${config.publicUrl}/docs`,
  );
  const shutdown = async (signal: string) => {
    ctx.log.info({ signal }, 'shutting down');
    await built.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
