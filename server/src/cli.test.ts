// The command line against a real data directory: migrate, seed, export and re-import grids,
// create an admin, rebuild the dashboard rollups, back up.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedao-cli-'));
const cli = (...args: string[]) =>
  run(
    process.execPath,
    ['--import', 'tsx', '--conditions=source', path.join(root, 'server/src/cli.ts'), ...args],
    {
      cwd: root,
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        DATABASE_URL: '',
        REDIS_URL: '',
        NODE_ENV: 'development',
        LOG_LEVEL: 'error',
      },
    },
  );

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('npm run cli', () => {
  it('migrates, seeds, round-trips the grids, creates an admin and backs up (SQLite)', async () => {
    expect((await cli('migrate')).stdout).toMatch(/applied: 0001_kernel/);
    expect((await cli('migrate')).stdout).toMatch(/up to date/);
    const seeded = await cli('seed-demo', '--cases', '20');
    expect(JSON.parse(seeded.stdout)).toMatchObject({ grids: 596, communities: 12, cases: 20 });
    expect((await cli('seed-demo')).stdout).toMatch(/nothing seeded/);
    // the seed's events built the dashboard rollups; a rebuild from the cases gives the same
    const rollups = () => {
      const db = new Database(path.join(dataDir, 'jiedao.sqlite'), { readonly: true });
      const rows = db
        .prepare(
          'select * from stats_day where created + received + closed + rated != 0 order by 1, 2, 3, 4, 5',
        )
        .all();
      db.close();
      return rows;
    };
    const kept = rollups();
    expect(kept.length).toBeGreaterThan(0);
    expect((await cli('rebuild-stats')).stdout).toMatch(/rebuilt the dashboard rollups from 20 cases/);
    expect(rollups()).toEqual(kept);

    const file = path.join(dataDir, 'grids.geojson');
    await cli('export-grids', file);
    const fc = JSON.parse(fs.readFileSync(file, 'utf8')) as { features: { properties: { code: string } }[] };
    expect(fc.features).toHaveLength(596);
    expect((await cli('import-grids', file)).stdout).toMatch(
      /valid: 0 new, 0 changed, 596 unchanged grids \(dry run/,
    );

    const broken = path.join(dataDir, 'broken.geojson');
    fs.writeFileSync(
      broken,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: {},
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [0, 0],
                  [1, 0],
                  [1, 1],
                ],
              ],
            },
          },
        ],
      }),
    );
    const bad = await cli('import-grids', broken).catch((e: { code: number; stdout: string }) => e);
    expect((bad as { code: number }).code).toBe(1);
    expect((bad as { stdout: string }).stdout).toMatch(/INVALID/);

    expect((await cli('create-admin', 'ops', 'a-long-enough-password', '运维')).stdout).toMatch(
      /created admin ops/,
    );
    const backup = path.join(dataDir, 'backup', 'copy.sqlite');
    await cli('backup', backup);
    const copy = new Database(backup, { readonly: true });
    const row = copy.prepare('select count(*) as n from grid').get() as { n: number };
    copy.close();
    expect(row.n).toBe(596);
  }, 120_000);
});
