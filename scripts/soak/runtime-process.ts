import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isAlive } from '../local/data-dir-lock.ts';
import type { SoakCredentials } from './requests.ts';

const repoRoot = resolve(import.meta.dirname, '../..');
const tsxBin = join(repoRoot, 'node_modules', '.bin', 'tsx');

export interface RuntimeProcessOptions {
  port: number;
  dataDir: string;
  logFile: string;
  visibilityTimeoutSeconds: number;
  credentials: SoakCredentials;
  logLevel: string;
  /** The business profile (JSON); the demo business when absent. */
  businessProfile?: string;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * `npm start` in a process of its own, as a person runs it (`tsx scripts/local/start.ts` with
 * PORT and LEADLINE_DATA_DIR), its output appended to a log file. The process leads its own
 * process group, so `kill()` takes tsx's child with it, as a crash of the machine would.
 */
export class RuntimeProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  /** The log file, open for appending; the child writes to it directly. */
  private log: number | undefined;
  readonly baseUrl: string;
  starts = 0;

  constructor(private readonly options: RuntimeProcessOptions) {
    this.baseUrl = `http://localhost:${options.port}`;
  }

  /** Starts it and resolves once `/health` answers 200; rejects if it exits or takes over `timeoutMs`. */
  async start(timeoutMs = 60_000): Promise<void> {
    this.starts++;
    const { options } = this;
    // Every setting that could reach a real provider or change the business is pinned: a
    // developer's `.env` fills only what is unset, and an empty value counts as unset.
    // The child writes to the file itself (synchronously, as Node writes to files), so nothing
    // it logged is lost when it is killed.
    this.log ??= openSync(options.logFile, 'a');
    const child = spawn(tsxBin, ['scripts/local/start.ts'], {
      cwd: repoRoot,
      detached: true,
      stdio: ['ignore', this.log, this.log],
      env: {
        ...process.env,
        PORT: String(options.port),
        HOST: '127.0.0.1',
        PUBLIC_BASE_URL: this.baseUrl,
        LEADLINE_DATA_DIR: options.dataDir,
        LOCAL_VISIBILITY_TIMEOUT_SECONDS: String(options.visibilityTimeoutSeconds),
        LOG_LEVEL: options.logLevel,
        TWILIO_AUTH_TOKEN: options.credentials.twilioAuthToken,
        INBOUND_EMAIL_BASIC_AUTH: options.credentials.inboundEmailBasicAuth,
        SMS_PROVIDER: 'sandbox',
        EMAIL_PROVIDER: 'sandbox',
        CRM_PROVIDER: 'sandbox',
        CALENDAR_PROVIDER: 'sandbox',
        CHAT_PROVIDER: 'sandbox',
        OPENAI_API_KEY: '',
        BUSINESS_PROFILE: options.businessProfile ?? '',
        BUSINESS_PROFILE_FILE: '',
        SENDGRID_INBOUND_PUBLIC_KEY: '',
      },
    });
    this.child = child;
    this.exited = new Promise((done) => child.once('exit', () => done()));

    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `The runtime exited (${child.exitCode ?? child.signalCode}) while starting; see ${options.logFile}`,
        );
      }
      const healthy = await fetch(`${this.baseUrl}/health`, { signal: AbortSignal.timeout(2_000) })
        .then((r) => r.ok)
        .catch(() => false);
      if (healthy) return;
      if (Date.now() > deadline) throw new Error(`The runtime did not answer /health within ${timeoutMs} ms`);
      await sleep(200);
    }
  }

  /**
   * SIGKILL to the whole process group: nothing is flushed or closed. Resolves once every process
   * of it is gone (the data folder's lock names the runtime's own pid).
   */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** SIGTERM (a clean stop), then SIGKILL if it has not stopped within `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    const stopped = await Promise.race([
      this.signal('SIGTERM').then(() => true),
      sleep(graceMs).then(() => false),
    ]);
    if (!stopped) await this.kill();
  }

  /** Closes the log file (the process is gone). */
  close(): void {
    if (this.log !== undefined) closeSync(this.log);
    this.log = undefined;
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    const runtimePid = Number(
      (await readFile(join(this.options.dataDir, 'leadline.pid'), 'utf8').catch(() => '')).trim(),
    );
    try {
      process.kill(-child.pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
    await this.exited;
    // Bounded: a zombie that nobody reaps would look alive for ever; the next start then reports the lock.
    const deadline = Date.now() + 10_000;
    while (runtimePid > 0 && isAlive(runtimePid) && Date.now() < deadline) await sleep(50);
  }
}
