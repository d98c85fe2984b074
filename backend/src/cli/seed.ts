// Creates the demo agency, tenant and first login once; prints the login the first time.
import { loadConfig } from '../config.js';
import { createSequelize } from '../db/sequelize.js';
import { createLogger } from '../logger.js';
import { seedDemo } from '../modules/accounts/seed-demo.js';

const config = loadConfig();
const logger = createLogger({ logLevel: 'warn' }, 'switchboard-seed');
const sequelize = createSequelize(config.database.migrationUrl, logger, { poolMax: 1 });
try {
  const result = await seedDemo(sequelize, { email: config.seed.adminEmail, password: config.seed.adminPassword });
  if (result.created) {
    console.log('Created the demo agency "Demo Agency" with the tenant "Demo Dental Clinic".');
    console.log(`First login:  ${result.email}`);
    console.log(`Password:     ${result.password}${config.seed.adminPasswordGenerated ? '   (generated; shown once — change it after signing in)' : '   (from SEED_ADMIN_PASSWORD)'}`);
  } else {
    console.log(`Already seeded; first login is ${result.email}.`);
  }
} catch (err) {
  console.error(`Seed failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await sequelize.close();
}
