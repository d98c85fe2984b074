// Verifies every agency's audit hash chains; exits 1 and names the first broken row if any.
import { QueryTypes } from 'sequelize';
import { loadConfig } from '../config.js';
import { createSequelize } from '../db/sequelize.js';
import { scopeRunner } from '../db/tenant-scope.js';
import { createLogger } from '../logger.js';
import { verifyAuditChain } from '../modules/audit/verify-audit-chain.js';

const config = loadConfig();
const sequelize = createSequelize(config.database.migrationUrl, createLogger({ logLevel: 'warn' }, 'switchboard-audit-verify'), { poolMax: 1 });
try {
  const agencies = await sequelize.query<{ id: string; name: string }>('SELECT id, name FROM agencies ORDER BY created_at', {
    type: QueryTypes.SELECT,
  });
  for (const agency of agencies) {
    const result = await verifyAuditChain({ runInScope: scopeRunner(sequelize) }, { agencyId: agency.id });
    if (result.ok) {
      console.log(`OK      ${agency.name}: ${result.checkedEvents} event(s) in ${result.chains} chain(s) verified`);
    } else {
      const broken = result.firstBroken!;
      console.log(`BROKEN  ${agency.name}: chain ${broken.chainKey}, seq ${broken.seq}${broken.eventId ? `, event ${broken.eventId}` : ''}: ${broken.reason}`);
      process.exitCode = 1;
    }
  }
  if (agencies.length === 0) console.log('No agencies yet: nothing to verify.');
} catch (err) {
  console.error(`Audit verification failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 2;
} finally {
  await sequelize.close();
}
