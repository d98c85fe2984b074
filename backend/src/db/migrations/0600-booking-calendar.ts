import type { MigrationContext } from '../migrator.js';
import { disableTenantRls, enableTenantRls } from '../rls.js';

const TABLES = ['booking_services', 'booking_hours', 'booking_exceptions', 'bookings'] as const;

// The built-in calendar: what a tenant sells (services), when it is open (weekly hours in the tenant's
// time zone, per-date exceptions) and the bookings. Double booking is refused by the database itself:
// an exclusion constraint over the buffered time range of confirmed bookings, so two concurrent requests
// for the same slot cannot both commit whatever the application checked before.
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  const sql = (text: string) => qi.sequelize.query(text);
  // Trusted extension (PostgreSQL 13+): the database owner may create it. Needed for uuid = in a gist index.
  await sql('CREATE EXTENSION IF NOT EXISTS btree_gist');
  await sql(`CREATE TABLE booking_services (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    name varchar(200) NOT NULL,
    duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 5 AND 720),
    buffer_before_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_before_minutes BETWEEN 0 AND 240),
    buffer_after_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_after_minutes BETWEEN 0 AND 240),
    price_cents integer CHECK (price_cents IS NULL OR price_cents >= 0),
    currency char(3),
    active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((price_cents IS NULL) = (currency IS NULL))
  )`);
  await sql('CREATE INDEX booking_services_tenant_idx ON booking_services (tenant_id, active)');
  // weekday: 0 = Sunday ... 6 = Saturday (JavaScript getUTCDay and PostgreSQL extract(dow)). Several rows a day = several ranges.
  await sql(`CREATE TABLE booking_hours (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    weekday smallint NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    start_time time NOT NULL,
    end_time time NOT NULL,
    CHECK (start_time < end_time)
  )`);
  await sql('CREATE INDEX booking_hours_tenant_idx ON booking_hours (tenant_id, weekday)');
  // A date with exception rows replaces that day's weekly hours: rows with times are the special hours,
  // one row without times means closed all day.
  await sql(`CREATE TABLE booking_exceptions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    date date NOT NULL,
    start_time time,
    end_time time,
    reason varchar(200),
    CHECK ((start_time IS NULL) = (end_time IS NULL)),
    CHECK (start_time IS NULL OR start_time < end_time)
  )`);
  await sql('CREATE INDEX booking_exceptions_tenant_date_idx ON booking_exceptions (tenant_id, date)');
  await sql(`CREATE TABLE bookings (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    service_id uuid NOT NULL REFERENCES booking_services (id),
    contact_id uuid REFERENCES contacts (id),
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL,
    blocked tstzrange NOT NULL,
    status varchar(16) NOT NULL DEFAULT 'confirmed' CHECK (status IN ('confirmed', 'cancelled')),
    source varchar(16) NOT NULL CHECK (source IN ('agent', 'staff', 'api', 'n8n')),
    notes varchar(2000),
    time_zone varchar(64) NOT NULL,
    idempotency_key varchar(200),
    cancel_reason varchar(500),
    cancelled_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (starts_at < ends_at),
    CHECK (lower(blocked) <= starts_at AND upper(blocked) >= ends_at),
    CONSTRAINT bookings_no_overlap EXCLUDE USING gist (tenant_id WITH =, blocked WITH &&) WHERE (status = 'confirmed')
  )`);
  await sql('CREATE UNIQUE INDEX bookings_tenant_idempotency_key ON bookings (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL');
  await sql('CREATE INDEX bookings_contact_idx ON bookings (tenant_id, contact_id, starts_at)');
  for (const table of TABLES) await enableTenantRls(qi, table);
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  for (const table of [...TABLES].reverse()) {
    await disableTenantRls(qi, table);
    await qi.sequelize.query(`DROP TABLE ${table}`);
  }
}
