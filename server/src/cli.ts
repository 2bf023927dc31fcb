// `npm run cli -- <command>`: operations on the configured database (DATA_DIR / DATABASE_URL), and the
// message classifier's commands (no database, no configuration).
import fs from 'node:fs';
import path from 'node:path';
import {
  classifyCommand,
  classifyEvalCommand,
  classifyTrainCommand,
} from './modules/classify/classify.cli.js';

const HELP = `Jiedao command line

  migrate                          run pending database migrations
  seed-demo [--cases N]            seed the demo subdistrict (not in production; only into an empty database)
  create-admin <username> <password> [display name]
  import-grids <file.geojson> [--apply]
                                   validate a grid FeatureCollection and show what would change; --apply writes it
  export-grids [file.geojson]      write every grid as GeoJSON (stdout without a file)
  rebuild-stats                    recompute the dashboard's rollups from the cases (after an upgrade
                                   or a bulk load; safe to repeat)
  content-gc                       delete content files no article uses (uploaded or released more than
                                   24 h ago) with their thumbnails; prints the counts as JSON
  backup <file>                    SQLite: a consistent online copy; PostgreSQL: explains pg_dump

  Message classifier (no database needed):
  classify-train --data <file.jsonl>[,<file2.jsonl>] [--corrections <file.jsonl>] --out <model>
                                   train on labelled lines ({"label","text"} or {"label","text_segmented"})
  classify --model <model> < in.jsonl > out.jsonl
                                   {"id","text"} lines in, {"id","label","confidence"} lines out, same order
  classify-eval --model <model> --data <file.jsonl>
                                   macro-F1, per-class figures, confusion, coverage at 98 % precision, ECE

  Hot issues (no database needed):
  hot-issues --data <hot.jsonl> [--top N] [--days D] [--threshold X]
                                   group hotline messages ({"id","user","subject","time","detail","likes"})
                                   into hot issues; the top N (10) with their heat components, as JSON

  Reply drafts (no database needed):
  reply-drafts-eval --data <reply.jsonl> [--seed <n>]
                                   leave-one-out: drafts from the most similar other message vs a random
                                   and the most common reply (character-bigram F1), JSON
`;

function arg(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  // the classifier's commands need neither configuration nor database
  if (command === 'classify-train') return classifyTrainCommand(args);
  if (command === 'classify') return classifyCommand(args);
  if (command === 'classify-eval') return classifyEvalCommand(args);
  if (command === 'hot-issues') return (await import('./modules/hot/index.js')).hotIssuesCommand(args);
  if (command === 'reply-drafts-eval') {
    const { replyDraftsEvalCommand } = await import('./modules/cases/reply-drafts.cli.js');
    return replyDraftsEvalCommand(args);
  }
  // the rest is loaded only for the commands that use it (the classifier's start without the app)
  const [
    { buildContext, buildServices, openDatabase },
    { loadConfig },
    { migrateToLatest },
    { SwitchableClock },
  ] = await Promise.all([
    import('./app.js'),
    import('./config.js'),
    import('./db/migrate.js'),
    import('./kernel/clock.js'),
  ]);
  const [{ allMigrations }, { exportGrids }, { seedDemo }, { default: pino }] = await Promise.all([
    import('./migrations.js'),
    import('./modules/org/index.js'),
    import('./seed/demo.js'),
    import('pino'),
  ]);
  const config = loadConfig();
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' });
  switch (command) {
    case 'migrate': {
      const db = openDatabase(config);
      const done = await migrateToLatest(db, allMigrations);
      console.log(done.length ? `applied: ${done.join(', ')}` : 'database is up to date');
      await db.close();
      return 0;
    }
    case 'seed-demo': {
      const clock = new SwitchableClock();
      const { ctx, dispose } = await buildContext({ config, clock, logger });
      const services = await buildServices(ctx);
      const n = arg(args, '--cases');
      const report = await seedDemo(ctx, services, { clock, ...(n ? { cases: Number(n) } : {}) });
      console.log(
        report.skipped
          ? 'the database already holds a subdistrict; nothing seeded'
          : JSON.stringify(report, null, 2),
      );
      await ctx.outbox.drain();
      await dispose();
      return 0;
    }
    case 'create-admin': {
      const [username, password, ...name] = args;
      if (!username || !password) {
        console.error('usage: create-admin <username> <password> [display name]');
        return 2;
      }
      const { ctx, dispose } = await buildContext({ config, logger });
      const services = await buildServices(ctx);
      const s = await services.identity.createStaff(
        { kind: 'system', name: 'cli' },
        {
          username,
          password,
          displayName: name.join(' ') || username,
          role: 'admin',
          mustChangePassword: false,
        },
      );
      console.log(`created admin ${s.username} (${s.id})`);
      await dispose();
      return 0;
    }
    case 'import-grids': {
      const file = args.find((a) => !a.startsWith('--'));
      if (!file) {
        console.error('usage: import-grids <file.geojson> [--apply]');
        return 2;
      }
      const { ctx, dispose } = await buildContext({ config, logger });
      const services = await buildServices(ctx);
      const geojson = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
      const report = await services.org.importGrids(geojson, !args.includes('--apply'));
      for (const e of report.errors)
        console.log(`error   ${e.code}${e.gridCode ? ` [${e.gridCode}]` : ''}: ${e.message}`);
      for (const w of report.warnings)
        console.log(`warning ${w.code}${w.gridCode ? ` [${w.gridCode}]` : ''}: ${w.message}`);
      console.log(
        `${report.ok ? 'valid' : 'INVALID'}: ${report.created.length} new, ${report.updated.length} changed, ${report.unchanged.length} unchanged grids` +
          (report.newCommunities.length ? `; new communities: ${report.newCommunities.join(', ')}` : '') +
          (report.dryRun && report.ok ? ' (dry run: add --apply to write)' : ''),
      );
      await dispose();
      return report.ok ? 0 : 1;
    }
    case 'export-grids': {
      const { ctx, dispose } = await buildContext({ config, logger });
      const services = await buildServices(ctx);
      const out = JSON.stringify(await exportGrids(services.org.repo));
      if (args[0]) {
        fs.writeFileSync(args[0], out);
        console.log(`wrote ${args[0]}`);
      } else process.stdout.write(out + '\n');
      await dispose();
      return 0;
    }
    case 'rebuild-stats': {
      const { ctx, dispose } = await buildContext({ config, logger });
      const services = await buildServices(ctx);
      // events still queued are harmless: their handler compares each case with what it contributes now
      const report = await services.stats.rebuild();
      console.log(
        `rebuilt the dashboard rollups from ${report.cases} cases in ${(report.ms / 1000).toFixed(1)} s: ` +
          Object.entries(report.rows)
            .map(([table, n]) => `${table} ${n} rows`)
            .join(', '),
      );
      await dispose();
      return 0;
    }
    case 'content-gc': {
      const { ctx, dispose } = await buildContext({ config, logger });
      const services = await buildServices(ctx);
      console.log(JSON.stringify(await services.content.sweepFiles()));
      await dispose();
      return 0;
    }
    case 'backup': {
      const file = args[0];
      if (!file) {
        console.error('usage: backup <file>');
        return 2;
      }
      const db = openDatabase(config);
      if (db.dialect === 'postgres' || !db.sqlite) {
        console.log(
          'This installation runs on PostgreSQL. Back it up with pg_dump, e.g.\n' +
            '  pg_dump --format=custom --file=jiedao.dump "$DATABASE_URL"\n' +
            'and restore with pg_restore. Also copy DATA_DIR/uploads and keep DATA_KEY (or DATA_DIR/data.key) safe: without it personal data cannot be decrypted.',
        );
        await db.close();
        return 0;
      }
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      await db.sqlite.backup(file);
      console.log(`backed up to ${file}. Keep DATA_DIR/data.key and DATA_DIR/uploads with it.`);
      await db.close();
      return 0;
    }
    default:
      console.log(HELP);
      return command && command !== 'help' && command !== '--help' ? 2 : 0;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
