import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createMigrator } from '../../src/db/migrator.js';
import { provisionDatabase } from '../../src/db/provision.js';
import { createSequelize } from '../../src/db/sequelize.js';
import { createLogger } from '../../src/logger.js';
import { freePort } from './worker-fleet.js';

const run = promisify(execFile);
const silent = createLogger({ logLevel: 'silent' });

/** Debian's server binaries (/usr/lib/postgresql/<major>/bin), newest major first; PG_BIN overrides. */
function serverBinaries(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((d) => existsSync(join(root, d, 'bin', 'pg_ctl'))) : [];
  const newest = majors.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (set PG_BIN)');
  return join(root, newest, 'bin');
}

export type PrivateDatabase = { name: string; superuserUrl: string; ownerUrl: string; appUrl: string };

/**
 * A PostgreSQL server of the test's own (initdb in a temp dir, a free port), so a test can stop and start
 * "the database" without touching the machine's cluster that other test runs share. initdb and the server
 * refuse to run as root: as root they run as the `postgres` user, who owns the temp dir.
 */
export class PrivatePostgres {
  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly bin: string,
  ) {}

  static async start(): Promise<PrivatePostgres> {
    const bin = serverBinaries();
    const dir = mkdtempSync(join(tmpdir(), 'sb-private-pg-'));
    const server = new PrivatePostgres(await freePort(), dir, bin);
    try {
      if (process.getuid?.() === 0) {
        const { stdout } = await run('id', ['-u', 'postgres']);
        const { stdout: gid } = await run('id', ['-g', 'postgres']);
        chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
      }
      await server.as('initdb', ['-D', server.dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-sync']);
      await server.startServer();
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    return server;
  }

  get superuserUrl(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private get dataDir(): string {
    return join(this.dir, 'data');
  }

  /** Runs a server binary, as the postgres user when we are root. */
  private async as(binary: string, args: string[]): Promise<void> {
    const path = join(this.bin, binary);
    const [command, argv] = process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, args];
    await run(command, argv, { cwd: this.dir, timeout: 60_000 });
  }

  /** Starts the server and waits until it accepts connections. Durable commits (synchronous_commit stays on). */
  async startServer(): Promise<void> {
    const options = [`-p ${this.port}`, `-k ${this.dir}`, `-c listen_addresses=127.0.0.1`, '-c fsync=off', '-c full_page_writes=off', '-c max_connections=200', '-c shared_buffers=32MB'];
    await this.as('pg_ctl', ['start', '-D', this.dataDir, '-w', '-t', '60', '-l', join(this.dir, 'server.log'), '-o', options.join(' ')]);
  }

  /**
   * Stops the server: `fast` as an orderly restart does (sessions get 57P01 admin_shutdown), `immediate`
   * like a crash (no shutdown checkpoint; the next start replays the WAL).
   */
  async stopServer(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await this.as('pg_ctl', ['stop', '-D', this.dataDir, '-m', mode, '-w', '-t', '60']);
  }

  /** Creates a migrated database like the integration harness's: an owner role that migrates, a non-owner app role. */
  async createDatabase(name = 'switchboard'): Promise<PrivateDatabase> {
    const owner = { name: 'sb_owner', password: 'sb_owner' };
    const app = { name: 'sb_app', password: 'sb_app' };
    await provisionDatabase({ adminUrl: this.superuserUrl, database: name, owner, app });
    const url = (role: string, password: string) => `postgres://${role}:${password}@127.0.0.1:${this.port}/${name}`;
    const database = {
      name,
      superuserUrl: `postgres://postgres@127.0.0.1:${this.port}/${name}`,
      ownerUrl: url(owner.name, owner.password),
      appUrl: url(app.name, app.password),
    };
    const sequelize = createSequelize(database.ownerUrl, silent, { poolMax: 1 });
    try {
      await createMigrator(sequelize, silent).up();
    } finally {
      await sequelize.close();
    }
    return database;
  }

  /** Stops the server at once and removes its files. */
  async destroy(): Promise<void> {
    try {
      await this.stopServer('immediate');
    } catch {
      // already stopped
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
