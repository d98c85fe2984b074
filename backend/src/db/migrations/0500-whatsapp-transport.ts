import type { MigrationContext } from '../migrator.js';

// Which WhatsApp transport a tenant sends with: its own phone linked as a device ('baileys', the default:
// no Meta business verification needed) or Meta's Cloud API ('cloud'). Linked-device numbers are not
// bound by Meta's 24-hour customer-service window, but keeping it lowers the ban risk, so it applies
// unless the tenant turns it off; Cloud API numbers always have it (Meta enforces it).
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.sequelize.query(`ALTER TABLE messaging_settings
    ADD COLUMN whatsapp_transport varchar(10) NOT NULL DEFAULT 'baileys' CHECK (whatsapp_transport IN ('baileys', 'cloud')),
    ADD COLUMN linked_device_session_window boolean NOT NULL DEFAULT true`);
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.sequelize.query('ALTER TABLE messaging_settings DROP COLUMN linked_device_session_window, DROP COLUMN whatsapp_transport');
}
