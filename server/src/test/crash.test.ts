// An accepted report is never lost: a real server process takes submissions, is killed with
// SIGKILL in the middle of the load, restarts on the same data, and every case it acknowledged
// with 201 is there (and none twice).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { lastLoggedCode } from '../adapters/sms/index.js';
import { isPostgresUrl } from '../db/connect.js';
import { newId } from '../kernel/ids.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedao-crash-'));
const pgUrl = isPostgresUrl(process.env.DATABASE_URL) ? process.env.DATABASE_URL : undefined;
const schema = pgUrl ? `crash_${newId().toLowerCase()}` : undefined;
let child: ChildProcess | null = null;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function startServer(port: number): Promise<ChildProcess> {
  const p = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=source', path.join(root, 'server/src/main.ts')],
    {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: 'development',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        DEMO_CASES: '0',
        LOG_LEVEL: 'warn',
        RATE_LIMIT_FACTOR: '0',
        ...(pgUrl ? { DATABASE_URL: pgUrl, DATABASE_SCHEMA: schema! } : { DATABASE_URL: '' }),
        REDIS_URL: '',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (r.ok) return p;
    } catch {
      // not up yet
    }
    if (p.exitCode !== null) throw new Error(`server exited with ${p.exitCode}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}

afterAll(async () => {
  child?.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (pgUrl && schema) {
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    await c.query(`drop schema if exists "${schema}" cascade`);
    await c.end();
  }
});

describe('crash safety', () => {
  it('keeps every acknowledged case across a SIGKILL', async () => {
    if (pgUrl && schema) {
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`create schema "${schema}"`);
      await c.end();
    }
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    child = await startServer(port);
    const phone = '13800138401';
    await fetch(`${base}/api/auth/otp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone }),
    });
    const code = await lastLoggedCode(dataDir, phone);
    const login = (await (
      await fetch(`${base}/api/auth/otp/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ phone, code }),
      })
    ).json()) as { token: string };
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${login.token}` };

    const acked: string[] = [];
    const failures: string[] = [];
    let sent = 0;
    let stop = false;
    let running = 0;
    const worker = async (w: number) => {
      while (!stop) {
        const i = sent++;
        try {
          const r = await fetch(`${base}/api/cases`, {
            method: 'POST',
            headers: { ...headers, 'idempotency-key': `crash-${w}-${i}-key` },
            body: JSON.stringify({
              channel: 'snap',
              categoryId: 'snap.urban',
              description: `崩溃测试 ${i}`,
              location: { lat: 22.66 + (i % 50) * 0.0004, lng: 113.8 + (i % 40) * 0.0005 },
            }),
          });
          if (r.status === 201) acked.push(((await r.json()) as { id: string }).id);
          else failures.push(`${r.status} ${await r.text()}`);
        } catch (err) {
          // the server died under us: stop this worker
          if (!stop) failures.push(String(err));
          return;
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => {
      running++;
      return worker(w).finally(() => running--);
    });
    // let the load run, then kill the server without warning
    while (acked.length < 150 && running > 0 && failures.length === 0)
      await new Promise((r) => setTimeout(r, 10));
    expect(failures).toEqual([]);
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);
    await exited;
    expect(acked.length).toBeGreaterThanOrEqual(150);

    child = await startServer(port);
    const missing: string[] = [];
    for (const id of acked) {
      const r = await fetch(`${base}/api/cases/${id}`, { headers });
      if (r.status !== 200) missing.push(id);
    }
    expect(missing).toEqual([]);
    const mine = (await (await fetch(`${base}/api/me/cases?pageSize=1`, { headers })).json()) as {
      total: number;
    };
    // requests in flight at the kill may have committed without an answer, never more than were sent
    expect(mine.total).toBeGreaterThanOrEqual(acked.length);
    expect(mine.total).toBeLessThanOrEqual(sent);
    child.kill('SIGTERM');
  }, 120_000);
});
