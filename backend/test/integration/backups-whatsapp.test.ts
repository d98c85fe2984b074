// A WhatsApp linked device survives `make backup` / `make restore`: its auth state (encrypted with the
// installation's ENCRYPTION_KEY in whatsapp_auth_entries) comes back, and an app that runs with the key the
// restore hands back in .env reads it and reconnects without a new QR. With another key it is not readable,
// the error says so, and the stored session is left alone (no new QR). Real PostgreSQL and Redis, the real
// session manager and repository; the fake WhatsApp network stands in for Baileys' socket.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Sequelize } from 'sequelize';
import { FakeWhatsAppNetwork } from '../../../tests/fakes/baileys/index.js';
import { loadBackupConfig, loadConfig, type BackupConfig } from '../../src/config.js';
import { createMigrator } from '../../src/db/migrator.js';
import { createSequelize } from '../../src/db/sequelize.js';
import { scopeRunner } from '../../src/db/tenant-scope.js';
import { DecryptionError } from '../../src/infra/crypto.js';
import { createLogger } from '../../src/logger.js';
import { createBackup } from '../../src/modules/backups/create-backup.js';
import { restoreBackup, type RestoreReport } from '../../src/modules/backups/restore-backup.js';
import { outboxEventBus } from '../../src/modules/events/publish-event.js';
import { applyProviderStatus } from '../../src/modules/messages/apply-provider-status.js';
import { receiveInbound } from '../../src/modules/messages/receive-inbound.js';
import { enqueueOutbox } from '../../src/modules/outbox/enqueue-outbox.js';
import { linkedDeviceBus } from '../../src/modules/whatsapp-linked/linked-device-bus.js';
import { encryptedAuthStore, findLinkedDevice, forgetPairing } from '../../src/modules/whatsapp-linked/linked-device-repository.js';
import { LinkedDeviceSessions } from '../../src/modules/whatsapp-linked/linked-device-sessions.js';
import { createTenantRow } from '../support/accounts-world.js';
import { validEnv } from '../support/env.js';
import { eventually } from '../support/pipeline-world.js';
import { ADMIN_URL, createTestDatabase, TEST_REDIS_URL, type TestDatabase } from '../support/test-database.js';

const silent = createLogger({ logLevel: 'silent' });
const dbUrl = (database: string) => Object.assign(new URL(ADMIN_URL), { pathname: `/${database}` }).toString();
/** The ENCRYPTION_KEY an app started from this .env runs with (parsed by the app's own config). */
const appKeyFrom = (dotenv: string) => loadConfig(validEnv({ ENCRYPTION_KEY: /^ENCRYPTION_KEY=(.*)$/m.exec(dotenv)?.[1] })).secrets.encryptionKey;

describe('backups: a WhatsApp linked-device session after make backup and make restore', function () {
  this.timeout(120_000);
  const phone = '+14155550123';
  const oldKey = randomBytes(32);
  const newInstallKey = randomBytes(32);
  const prefix = `wabk${randomBytes(3).toString('hex')}`;
  let database: TestDatabase;
  let superuser: Sequelize;
  let redis: Redis;
  let network: FakeWhatsAppNetwork;
  let dir: string;
  let config: BackupConfig;
  let scope: { agencyId: string; tenantId: string };
  let authBefore: Record<string, string>;
  let qrsBeforeRestore: number;
  let newEnv: string;
  let report: RestoreReport;

  /** A worker's session manager on the database as the app role, with the given ENCRYPTION_KEY. */
  async function startWorker(encryptionKey: Buffer) {
    const app = createSequelize(database.appUrl, silent, { poolMax: 4 });
    const runInScope = scopeRunner(app);
    const events = outboxEventBus(app);
    const messaging = { runInScope, events, enqueueOutbox };
    const sessions = new LinkedDeviceSessions({
      sequelize: app, runInScope, redis, events, factory: network.factory(), encryptionKey, logger: silent, prefix,
      acceptInbound: (inbound) => receiveInbound(messaging, inbound), applyStatus: (update) => applyProviderStatus(messaging, update),
      backoff: { baseMs: 50, maxMs: 400 }, ownershipMs: 5_000,
    });
    await sessions.start();
    const auth = encryptedAuthStore({ runInScope, encryptionKey }, scope);
    const readAuth = async () => ({ ...(await auth.read('creds', ['creds'])), ...(await auth.read('pre-key', ['1'])) });
    const device = () => runInScope(scope, (tx) => findLinkedDevice(tx, scope));
    return {
      sessions, runInScope, readAuth, device,
      stop: async () => {
        await sessions.stop();
        await app.close();
      },
    };
  }
  const authRows = async () => Number(((await superuser.query(`SELECT count(*) AS n FROM whatsapp_auth_entries WHERE tenant_id = :tenantId`, {
    replacements: scope,
  })) as [{ n: string }[], unknown])[0][0]!.n);

  before(async () => {
    database = await createTestDatabase();
    const owner = createSequelize(database.ownerUrl, silent);
    await createMigrator(owner, silent).up();
    await owner.close();
    superuser = createSequelize(dbUrl(database.name), silent, { poolMax: 2 });
    const [[agency]] = (await superuser.query(`INSERT INTO agencies (name) VALUES ('Backup agency') RETURNING id`)) as [{ id: string }[], unknown];
    scope = { agencyId: agency!.id, tenantId: (await createTenantRow(superuser, agency!.id)).id };
    redis = new Redis(TEST_REDIS_URL);
    network = new FakeWhatsAppNetwork({ qrIntervalMs: 150 });
    dir = await mkdtemp(join(tmpdir(), 'sb-backups-wa-'));
    await mkdir(join(dir, 'backups'));
    await writeFile(join(dir, 'installed.env'), `ENCRYPTION_KEY=${oldKey.toString('base64')}\nAPP_DB_PASSWORD=old-db\n`);
    config = loadBackupConfig({
      BACKUP_DATABASE_URL: ADMIN_URL,
      BACKUP_DATABASES: database.name,
      BACKUP_PASSPHRASE: 'a passphrase the operator chose',
      BACKUP_DIR: join(dir, 'backups'),
      BACKUP_ENV_FILE: join(dir, 'installed.env'),
    });

    // The installation pairs its number: QR shown, the phone scans it, the session is open.
    const worker = await startWorker(oldKey);
    await linkedDeviceBus(redis, prefix).command({ action: 'pair', ...scope });
    await eventually(async () => ((network.qrsShown.get(scope.tenantId) ?? 0) > 0 ? true : undefined), 5_000);
    await network.scan(scope.tenantId, phone);
    await eventually(async () => ((await worker.device())?.state === 'open' ? true : undefined), 5_000);
    authBefore = await worker.readAuth();
    qrsBeforeRestore = network.qrsShown.get(scope.tenantId)!;
    await worker.stop();

    const backup = await createBackup(config);
    // After the backup the pairing is lost here (say the server died; a new install has nothing), and the new
    // install's .env has a key of its own.
    await scopeRunner(superuser)(scope, (tx) => forgetPairing(tx, scope));
    newEnv = join(dir, 'new-install.env');
    await writeFile(newEnv, `ENCRYPTION_KEY=${newInstallKey.toString('base64')}\nAPP_DB_PASSWORD=new-db\n`);
    await superuser.close(); // the restore ends every connection to the database
    report = await restoreBackup(config, backup.path, { envTarget: newEnv });
    superuser = createSequelize(dbUrl(database.name), silent, { poolMax: 2 });
  });

  after(async () => {
    network?.closeAll();
    await superuser?.close();
    redis?.disconnect();
    await database?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('when the app runs with the ENCRYPTION_KEY the restore wrote into .env, then the auth state reads back equal and the number reconnects without a new QR', async () => {
    expect(report.mismatches).to.deep.equal([]);
    expect(report.envChanged).to.deep.equal(['ENCRYPTION_KEY']);
    const restoredEnv = await readFile(newEnv, 'utf8');
    expect(restoredEnv).to.match(/^APP_DB_PASSWORD=new-db$/m);
    const appKey = appKeyFrom(restoredEnv);
    expect(appKey.equals(oldKey)).to.equal(true);
    expect(Object.keys(authBefore)).to.have.members(['creds', '1']);

    const connects = network.connects.get(scope.tenantId)!;
    const worker = await startWorker(appKey);
    try {
      expect(await worker.readAuth()).to.deep.equal(authBefore);
      // The worker resumes the paired device on start (resumableDevices), as after any restart.
      await eventually(async () => ('socket' in worker.sessions.socketFor(scope.tenantId) ? true : undefined), 5_000);
      expect(network.connects.get(scope.tenantId)).to.equal(connects + 1);
      expect(network.qrsShown.get(scope.tenantId), 'no new QR scan').to.equal(qrsBeforeRestore);
      expect(await worker.device()).to.include({ state: 'open', phone, lastError: null });
    } finally {
      await worker.stop();
    }
  });

  it('when the app runs with another ENCRYPTION_KEY (the new install\'s own), then the auth state is not readable, the error names the key, and no QR replaces the session', async () => {
    const worker = await startWorker(newInstallKey);
    try {
      let error: unknown;
      await worker.readAuth().catch((e: unknown) => (error = e));
      expect(error).to.be.instanceOf(DecryptionError);
      expect((error as Error).message).to.match(/cannot be decrypted with this installation's ENCRYPTION_KEY/);

      const device = await eventually(async () => {
        const row = await worker.device();
        return row?.lastError?.includes('ENCRYPTION_KEY') ? row : undefined;
      }, 5_000);
      expect(device.state).to.equal('connecting');
      expect(worker.sessions.socketFor(scope.tenantId)).to.deep.equal({ state: 'connecting' });
      expect(network.qrsShown.get(scope.tenantId), 'no QR: the stored pairing is kept for the right key').to.equal(qrsBeforeRestore);
      expect(await authRows()).to.equal(Object.keys(authBefore).length);
    } finally {
      await worker.stop();
    }
  });
});
