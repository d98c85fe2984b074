// `make backup` / `make restore` at size: one tenant with 1,000,000 messages (bodies of 20-300 characters from
// a vocabulary, ~20,000 contacts, one conversation each) in a fresh migrated switchboard database, beside an
// "n8n" database with workflows, credentials and executions. Measures the seed (for information), the database
// sizes, createBackup (simultaneous snapshots, pg_dump, fingerprints, tar, encryption) and its file size, and
// restoreBackup into the same database names (drop, pg_restore --create, every table's row count and checksum
// compared with the manifest), as the real use cases do them. Both databases are dropped at the end.
// Usage: npx tsx bench/backup-restore.ts [--messages N]   (default 1,000,000; BENCH_BACKUP_MESSAGES also works)
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadBackupConfig } from '../backend/src/config.js';
import { dropDatabase, provisionDatabase } from '../backend/src/db/provision.js';
import { createBackup } from '../backend/src/modules/backups/create-backup.js';
import { fingerprintDatabase } from '../backend/src/modules/backups/database-snapshots.js';
import { restoreBackup } from '../backend/src/modules/backups/restore-backup.js';
import { ADMIN_URL, createBenchDatabase } from './support/bench-database.js';
import { cpuMeter } from './support/cpu.js';
import { envNumber, finishContext, machineContext, printTable, writeResults } from './support/report.js';

function messagesOption(): number {
  const flag = process.argv.indexOf('--messages');
  const value = flag >= 0 ? Number(process.argv[flag + 1]?.replace(/[_,]/g, '')) : envNumber('BENCH_BACKUP_MESSAGES', 1_000_000);
  if (!Number.isInteger(value) || value < 100) throw new Error('--messages must be a whole number of at least 100');
  return value;
}

const MESSAGES = messagesOption();
// ~50 messages per conversation, as the shape has it (1,000,000 over ~20,000 contacts).
const CONTACTS = Math.max(10, Math.round(MESSAGES / 50));
const EXECUTIONS = Math.max(10, Math.round(MESSAGES / 100));
const OUR_NUMBER = '+14155550100';

const WORDS = `hi hello thanks thank you please yes no ok sure great perfect sorry appointment booking booked cancel reschedule
  tomorrow today monday tuesday wednesday thursday friday saturday morning afternoon evening at 9:00 10:30 11:15 14:00 16:45
  can I we you your our the a an to for with on in of is are be have has will would could should what when where how
  cleaning check-up whitening filling crown consultation price cost $90 $120 insurance covered parking address Main Street
  reminder confirm confirmed running late minutes arrive early call back message later reply STOP HELP see soon best regards
  Dr. Patel Anna Maria John Sarah clinic office team available slot free earlier next week month`.split(/\s+/).filter(Boolean);

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const dbUrl = (database: string) => Object.assign(new URL(ADMIN_URL), { pathname: `/${database}` }).toString();
const seconds = (since: number) => (Date.now() - since) / 1000;
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const load = () => loadavg().map((v) => v.toFixed(2)).join(' ');

/** The tenant's people, conversations and messages, each table in one INSERT ... SELECT generate_series as the owner role. */
async function seedSwitchboard(ownerUrl: string, scope: { agencyId: string; tenantId: string }): Promise<void> {
  await withClient(ownerUrl, async (c) => {
    // Row-level security is forced on the owner too: the seed runs in the tenant's scope, like the app.
    await c.query(`SELECT set_config('app.agency_id', $1, false), set_config('app.tenant_id', $2, false)`, [scope.agencyId, scope.tenantId]);
    await c.query(
      `INSERT INTO contacts (agency_id, tenant_id, phone, whatsapp_id, country, name, email, lead_stage, notes, created_at, updated_at)
       SELECT $1, $2, '+1212' || lpad((2000000 + g)::text, 7, '0'), CASE WHEN g % 3 = 0 THEN '1212' || lpad((2000000 + g)::text, 7, '0') END, 'US',
         (ARRAY['Anna','Maria','John','Sarah','Luis','Mei','Omar','Priya','Tom','Zoe'])[1 + g % 10] || ' ' || (ARRAY['Smith','Garcia','Chen','Patel','Brown','Kim','Novak'])[1 + g % 7],
         'contact' || g || '@example.com', (ARRAY['new','contacted','booked','customer'])[1 + g % 4],
         CASE WHEN g % 5 = 0 THEN 'Prefers mornings; asked about whitening prices.' END, now() - g * interval '7 minutes', now() - g * interval '7 minutes'
       FROM generate_series(1, $3::int) g`,
      [scope.agencyId, scope.tenantId, CONTACTS],
    );
    await c.query(
      `INSERT INTO conversations (agency_id, tenant_id, contact_id, channel, last_message_at, last_inbound_at)
       SELECT agency_id, tenant_id, id, CASE WHEN whatsapp_id IS NOT NULL THEN 'whatsapp' ELSE 'sms' END, now(), now() FROM contacts`,
    );
    await c.query(`CREATE TEMP TABLE bench_conversations AS
      SELECT row_number() OVER (ORDER BY v.id) - 1 AS n, v.id, v.contact_id, v.channel, k.phone FROM conversations v JOIN contacts k ON k.id = v.contact_id`);
    await c.query('CREATE UNIQUE INDEX ON bench_conversations (n)');
    // Each body: random words from the vocabulary, cut to a length of 20-300 characters (the subquery reads g,
    // so it runs per row). Even rows are inbound (received), odd rows outbound replies (delivered).
    await c.query(
      `INSERT INTO messages (agency_id, tenant_id, conversation_id, contact_id, direction, channel, from_address, to_address, body, source,
         status, provider, provider_message_id, attempts, queued_at, sent_at, delivered_at, received_at, created_at, updated_at)
       SELECT $1, $2, v.id, v.contact_id, d.direction, v.channel,
         CASE WHEN d.direction = 'inbound' THEN v.phone ELSE $4 END, CASE WHEN d.direction = 'inbound' THEN $4 ELSE v.phone END,
         b.body, CASE WHEN d.direction = 'inbound' THEN 'contact' ELSE (ARRAY['agent','agent','manual','system'])[1 + g % 4] END,
         CASE WHEN d.direction = 'inbound' THEN 'received' ELSE 'delivered' END,
         CASE v.channel WHEN 'whatsapp' THEN 'baileys' ELSE 'twilio' END, 'SM' || md5(g::text), CASE WHEN d.direction = 'outbound' THEN 1 ELSE 0 END,
         CASE WHEN d.direction = 'outbound' THEN d.at END, CASE WHEN d.direction = 'outbound' THEN d.at + interval '1 second' END,
         CASE WHEN d.direction = 'outbound' THEN d.at + interval '3 seconds' END, CASE WHEN d.direction = 'inbound' THEN d.at END, d.at, d.at
       FROM generate_series(1, $3::int) g
       JOIN bench_conversations v ON v.n = g % $6::int
       CROSS JOIN LATERAL (SELECT CASE WHEN g % 2 = 0 THEN 'inbound' ELSE 'outbound' END AS direction,
         now() - ($3::int - g) * interval '20 seconds' AS at, 20 + (g::bigint * 7919 % 281)::int AS length) d
       CROSS JOIN LATERAL (SELECT left(string_agg(($5::text[])[1 + floor(random() * array_length($5::text[], 1))::int], ' '), d.length) AS body
         FROM generate_series(1, d.length / 4 + 3)) b`,
      [scope.agencyId, scope.tenantId, MESSAGES, OUR_NUMBER, WORDS, CONTACTS],
    );
    await c.query('VACUUM (ANALYZE) contacts, conversations, messages');
  });
}

/** n8n's side: workflows, credentials and the execution history it keeps (a few tables, as n8n's own). */
async function seedN8n(url: string): Promise<void> {
  await withClient(url, async (c) => {
    await c.query(`CREATE TABLE workflow_entity (id varchar(36) PRIMARY KEY, name varchar(128) NOT NULL, active boolean NOT NULL, nodes json NOT NULL,
      connections json NOT NULL, "createdAt" timestamptz NOT NULL DEFAULT now(), "updatedAt" timestamptz NOT NULL DEFAULT now())`);
    await c.query(`CREATE TABLE credentials_entity (id varchar(36) PRIMARY KEY, name varchar(128) NOT NULL, data text NOT NULL, type varchar(128) NOT NULL)`);
    await c.query(`CREATE TABLE execution_entity (id serial PRIMARY KEY, "workflowId" varchar(36) NOT NULL REFERENCES workflow_entity (id), finished boolean NOT NULL,
      mode varchar NOT NULL, status varchar NOT NULL, "startedAt" timestamptz, "stoppedAt" timestamptz, "createdAt" timestamptz NOT NULL DEFAULT now())`);
    await c.query(`CREATE TABLE execution_data ("executionId" integer PRIMARY KEY REFERENCES execution_entity (id) ON DELETE CASCADE, "workflowData" json NOT NULL, data text NOT NULL)`);
    await c.query(`INSERT INTO workflow_entity (id, name, active, nodes, connections)
      SELECT 'wf' || g, 'Workflow ' || g, g % 3 <> 0, json_build_array(json_build_object('type', 'n8n-nodes-switchboard.switchboardTrigger', 'name', 'Trigger ' || g)), '{}'
      FROM generate_series(1, 20) g`);
    await c.query(`INSERT INTO credentials_entity SELECT 'cred' || g, 'Switchboard ' || g, encode(sha256(g::text::bytea), 'base64'), 'switchboardApi' FROM generate_series(1, 5) g`);
    await c.query(`INSERT INTO execution_entity ("workflowId", finished, mode, status, "startedAt", "stoppedAt")
      SELECT 'wf' || (1 + g % 20), true, 'webhook', 'success', now() - g * interval '1 minute', now() - g * interval '1 minute' + interval '300 ms' FROM generate_series(1, $1::int) g`, [EXECUTIONS]);
    await c.query(`INSERT INTO execution_data SELECT id, '{"nodes": []}', '[{"resultData":{"runData":{"Trigger":[{"data":{"main":[[{"json":{"callId":"' || md5(id::text) || '","status":"missed"}}]]}}]}}}]'
      FROM execution_entity`);
  });
}

async function databaseSize(database: string): Promise<number> {
  return withClient(ADMIN_URL, async (c) => Number((await c.query('SELECT pg_database_size($1) AS bytes', [database])).rows[0].bytes));
}

async function main(): Promise<void> {
  const context = await machineContext(ADMIN_URL);
  console.log(`backup/restore benchmark: ${MESSAGES.toLocaleString('en')} messages, ${CONTACTS.toLocaleString('en')} contacts; ${context.cpus}, ${context.memoryGb} GB, PostgreSQL ${context.postgres}, Node ${context.node}; load average ${load()}`);
  const db = await createBenchDatabase();
  const n8nDb = `${db.name}_n8n`;
  const dir = await mkdtemp(join(tmpdir(), 'sb-bench-backup-'));
  let failed: boolean;
  try {
    await provisionDatabase({ adminUrl: ADMIN_URL, database: n8nDb, owner: { name: 'sb_bench_owner', password: 'sb_bench_owner' } });
    const agencyId = randomUUID();
    const tenantId = randomUUID();
    await db.admin.query(`INSERT INTO agencies (id, name) VALUES (:agencyId, 'Bench agency')`, { replacements: { agencyId } });
    await db.admin.query(`INSERT INTO tenants (id, agency_id, name, slug) VALUES (:tenantId, :agencyId, 'Bench clinic', :slug)`, {
      replacements: { tenantId, agencyId, slug: `bench-${tenantId.slice(0, 8)}` },
    });
    await db.admin.close(); // restore ends every connection to the database; the benchmark holds none

    let cpu = cpuMeter();
    let started = Date.now();
    console.log(`seeding... (load average ${load()})`);
    await seedSwitchboard(db.ownerUrl, { agencyId, tenantId });
    await seedN8n(dbUrl(n8nDb));
    const seed = { seconds: seconds(started), machineCpuPercent: cpu.busyPercent(), loadAverageAfter: load() };
    const sizes = { switchboardMb: mb(await databaseSize(db.name)), n8nMb: mb(await databaseSize(n8nDb)) };
    const messagesMb = await withClient(dbUrl(db.name), async (c) => mb(Number((await c.query(`SELECT pg_total_relation_size('messages') AS b`)).rows[0].b)));
    console.log(`seeded in ${seed.seconds.toFixed(1)} s: switchboard ${sizes.switchboardMb} MB (messages with indexes ${messagesMb} MB), n8n ${sizes.n8nMb} MB (load average ${load()})`);

    const config = loadBackupConfig({
      BACKUP_DATABASE_URL: ADMIN_URL,
      BACKUP_DATABASES: `${db.name},${n8nDb}`,
      BACKUP_PASSPHRASE: 'the benchmark passphrase',
      BACKUP_DIR: join(dir, 'backups'),
    });
    cpu = cpuMeter();
    const backup = await createBackup(config);
    const backupPhase = { seconds: backup.seconds, fileMb: mb(backup.bytes), machineCpuPercent: cpu.busyPercent(), loadAverageAfter: load() };
    console.log(`createBackup: ${backup.seconds.toFixed(1)} s, ${backupPhase.fileMb} MB (load average ${load()})`);

    // The restore replaces the databases as they are now: change them first, so the verification has something to catch.
    await withClient(dbUrl(db.name), (c) => c.query(`DELETE FROM messages WHERE ctid IN (SELECT ctid FROM messages LIMIT 1000)`));
    cpu = cpuMeter();
    const report = await restoreBackup(config, backup.path);
    const restorePhase = { seconds: report.seconds, mismatches: report.mismatches, tablesChecked: report.tablesChecked, machineCpuPercent: cpu.busyPercent(), loadAverageAfter: load() };
    console.log(`restoreBackup: ${report.seconds.toFixed(1)} s, ${report.tablesChecked} tables verified, ${report.mismatches.length} mismatches (load average ${load()})`);
    // What the verification alone costs (the restore ends with the same fingerprint of every table).
    started = Date.now();
    await fingerprintDatabase(ADMIN_URL, db.name);
    await fingerprintDatabase(ADMIN_URL, n8nDb);
    const verifySeconds = seconds(started);
    const restoredMessages = await withClient(dbUrl(db.name), async (c) => Number((await c.query('SELECT count(*) AS n FROM messages')).rows[0].n));
    const restoredSizes = { switchboardMb: mb(await databaseSize(db.name)), n8nMb: mb(await databaseSize(n8nDb)) };
    failed = report.mismatches.length > 0 || restoredMessages !== MESSAGES;

    printTable(`Backup and restore, ${MESSAGES.toLocaleString('en')} messages (${context.cpus}, PostgreSQL ${context.postgres})`, ['phase', 'seconds', 'size MB', 'machine CPU %', 'load average after'], [
      ['seed (generate_series, VACUUM ANALYZE)', seed.seconds.toFixed(1), `${sizes.switchboardMb} + n8n ${sizes.n8nMb}`, seed.machineCpuPercent, seed.loadAverageAfter],
      ['createBackup (dump, fingerprint, tar, encrypt)', backupPhase.seconds.toFixed(1), `file ${backupPhase.fileMb}`, backupPhase.machineCpuPercent, backupPhase.loadAverageAfter],
      ['restoreBackup (decrypt, pg_restore, verify)', restorePhase.seconds.toFixed(1), `${restoredSizes.switchboardMb} + n8n ${restoredSizes.n8nMb}`, restorePhase.machineCpuPercent, restorePhase.loadAverageAfter],
      ['  of which the verification (fingerprints, measured again)', verifySeconds.toFixed(1), '', '', ''],
    ]);
    console.log(`\nrestored messages: ${restoredMessages.toLocaleString('en')} (expected ${MESSAGES.toLocaleString('en')}); mismatches: ${report.mismatches.length === 0 ? 'none' : report.mismatches.join('; ')}`);
    const file = writeResults(MESSAGES === 1_000_000 ? 'backup-restore' : `backup-restore-${MESSAGES}`, {
      context: finishContext(context), messages: MESSAGES, contacts: CONTACTS, n8nExecutions: EXECUTIONS,
      seed, sizes: { ...sizes, messagesWithIndexesMb: messagesMb, restored: restoredSizes }, backup: backupPhase, restore: { ...restorePhase, verifySeconds, restoredMessages },
    });
    console.log(`results: ${file}`);
  } finally {
    // db.admin is closed already (db.drop would close it again); BENCH_KEEP_DATABASE=1 keeps both, as in the other benchmarks.
    for (const name of process.env.BENCH_KEEP_DATABASE ? [] : [n8nDb, db.name]) {
      await dropDatabase(ADMIN_URL, name).catch((err: Error) => console.error(`could not drop ${name}: ${err.message}`));
    }
    await rm(dir, { recursive: true, force: true });
  }
  if (failed) {
    console.error('the restored data differs from the backup');
    process.exitCode = 1;
  }
}

await main();
