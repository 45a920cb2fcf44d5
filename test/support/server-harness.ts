// Starts the real server for integration tests: in-process (fast, inspectable) or as a child
// process (for signals, crashes and multi-replica tests). Either way it is real HTTP on 127.0.0.1.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config.js';
import { startServer, type RunningServer, type StartOptions } from '../../src/app/server.js';
import { createLogger } from '../../src/shared/logger.js';
import { freshDataDir, KNOWLEDGE_DIR, REPO_ROOT } from './test-data.js';

export interface TestServer extends RunningServer {
  dataDir: string;
  logLines: string[];
}

/** Environment for a test server: embedded defaults, port 0, a fresh data folder. */
export function testEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: extra.DATA_DIR ?? freshDataDir(),
    KNOWLEDGE_DIR,
    LOG_LEVEL: 'info',
    TRIAGE_TOKEN: 'test-triage-token-123',
  };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

export async function startTestServer(extra: Record<string, string | undefined> = {}, options: StartOptions = {}): Promise<TestServer> {
  const env = testEnv(extra);
  const config = loadConfig(env, REPO_ROOT);
  const logLines: string[] = [];
  const logger = createLogger({ level: 'debug', write: (l) => logLines.push(l) });
  const running = await startServer(config, { logger, ...options });
  return Object.assign(running, { dataDir: env.DATA_DIR!, logLines });
}

export interface ChildServer {
  url: string;
  proc: ChildProcess;
  output: () => string;
  dataDir: string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs `navigator serve` in a child process and waits until /healthz answers. */
export async function spawnServer(extra: Record<string, string | undefined> = {}, timeoutMs = 90_000): Promise<ChildServer> {
  const env = testEnv(extra);
  let out = '';
  const proc = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'navigator.js'), 'serve'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + timeoutMs;
  let url: string | undefined;
  while (!url) {
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`server did not start within ${timeoutMs} ms:\n${out}`);
    }
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}:\n${out}`);
    const m = out.match(/"msg":"server listening","url":"(http:\/\/[^"]+)"/);
    if (m && out.includes('"msg":"ready"')) url = m[1];
    else await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    proc,
    output: () => out,
    dataDir: env.DATA_DIR!,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (proc.exitCode === null) proc.kill(signal);
      return exited;
    },
  };
}
