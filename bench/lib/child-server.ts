// Benchmark servers run in child processes, so the load generator (autocannon, in the bench process)
// never shares their event loop. A server script prints one JSON line `{"ready":true,"port":N,…}` on
// stdout once it listens, and shuts down cleanly on SIGTERM (so `--cpu-prof` profiles get written).
// Every child and temp dir is registered here and removed on exit, whatever happens.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

const liveChildren = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let hooked = false;

function cleanupSync(): void {
  for (const child of liveChildren) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  liveChildren.clear();
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

function installHooks(): void {
  if (hooked) return;
  hooked = true;
  process.once('exit', cleanupSync);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      console.error(`bench: ${signal}, stopping child servers`);
      cleanupSync();
      process.exit(130);
    });
  }
}

/** A fresh temp dir, removed at exit (or earlier with `removeTempDir`). */
export function makeTempDir(prefix: string): string {
  installHooks();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

/** Leave a temp dir in place at exit (for inspection). */
export function keepTempDir(dir: string): void {
  tempDirs.delete(dir);
}

export function removeTempDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

/** Server settings a developer's shell may carry that must not leak into a benchmark server. */
const STRIPPED_ENV = [
  'DATABASE_URL',
  'DATABASE_SCHEMA',
  'REDIS_URL',
  'REDIS_PREFIX',
  'CONFIG_FILE',
  'DATA_KEY',
  'PUBLIC_URL',
  'DEMO_SEED',
  'DEMO_CASES',
  'OUTBOX_POLL_MS',
  'TRUST_PROXY',
  'SMS_PROVIDER',
  'NODE_OPTIONS',
];

/**
 * The environment for a child server: ours minus everything that would point it at shared
 * infrastructure (PostgreSQL, Redis, a config file, a key), plus `env`.
 */
export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const key of STRIPPED_ENV) delete base[key];
  return { ...base, ...env };
}

export interface ChildServer {
  label: string;
  pid: number;
  port: number;
  url: string;
  /** The ready line the child printed. */
  info: Record<string, unknown>;
  /** The last lines the child wrote to stderr (for error messages). */
  stderrTail(): string;
  /** SIGTERM, wait for a clean exit (up to `graceMs`), then SIGKILL. Resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

export interface StartOptions {
  label: string;
  /** Absolute path of the server entry script (TypeScript, run through tsx). */
  script: string;
  env: Record<string, string>;
  /** Extra node flags (e.g. --cpu-prof). */
  nodeArgs?: string[];
  readyTimeoutMs?: number;
  /** Forward the child's stderr to ours (prefixed), default true. */
  forwardStderr?: boolean;
}

export async function startServer(opts: StartOptions): Promise<ChildServer> {
  installHooks();
  const args = [...(opts.nodeArgs ?? []), '--import', 'tsx', '--conditions=source', opts.script];
  const child = spawn(process.execPath, args, {
    env: childEnv(opts.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  liveChildren.add(child);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      liveChildren.delete(child);
      resolve(code);
    });
  });

  const tail: string[] = [];
  const forward = opts.forwardStderr !== false;
  readline.createInterface({ input: child.stderr! }).on('line', (line) => {
    tail.push(line);
    if (tail.length > 40) tail.shift();
    if (forward) process.stderr.write(`[${opts.label}] ${line}\n`);
  });
  const stderrTail = () => tail.join('\n');

  const info = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`${opts.label}: not ready after ${opts.readyTimeoutMs ?? 60_000} ms\n${stderrTail()}`),
      );
    }, opts.readyTimeoutMs ?? 60_000);
    const lines = readline.createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        process.stderr.write(`[${opts.label}:stdout] ${line}\n`);
        return;
      }
      if (typeof parsed === 'object' && parsed !== null && 'port' in parsed) {
        clearTimeout(timer);
        resolve(parsed as Record<string, unknown>);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${opts.label}: exited with code ${code} before it was ready\n${stderrTail()}`));
    });
  });
  const port = Number(info.port);
  if (!Number.isInteger(port) || port <= 0)
    throw new Error(`${opts.label}: bad ready line ${JSON.stringify(info)}`);

  return {
    label: opts.label,
    pid: child.pid!,
    port,
    url: `http://127.0.0.1:${port}`,
    info,
    stderrTail,
    stop: async (graceMs = 15_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        console.error(`bench: ${opts.label} did not exit after SIGTERM in ${graceMs} ms, killing it`);
        child.kill('SIGKILL');
      }, graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
