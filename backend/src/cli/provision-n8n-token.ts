// Issues (or rotates) the agency-level service token n8n uses. The token is never logged:
//   native stack:  TOKEN="$(tsx backend/src/cli/provision-n8n-token.ts)"   (only the token on stdout;
//                  rotated at every start, n8n restarts with it)
//   compose:       node backend/dist/cli/provision-n8n-token.js --file /home/node/.n8n/switchboard-service-token
//                  (kept while still valid, else replaced; written with mode 600, nothing on stdout)
// Run after migrate + seed. Status messages go to stderr.
import { readFileSync, writeFileSync } from 'node:fs';
import { loadConfig } from '../config.js';
import { createSequelize } from '../db/sequelize.js';
import { scopeRunner } from '../db/tenant-scope.js';
import { createLogger } from '../logger.js';
import { findInstallationAgency, isCurrentN8nToken, provisionN8nToken } from '../modules/service-tokens/provision-n8n-token.js';

const fileFlag = process.argv.indexOf('--file');
const file = fileFlag >= 0 ? process.argv[fileFlag + 1] : undefined;
const readExisting = (path: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

const config = loadConfig();
const logger = createLogger({ logLevel: 'warn' }, 'switchboard-provision-n8n-token');
const sequelize = createSequelize(config.database.migrationUrl, logger, { poolMax: 1 });
try {
  if (fileFlag >= 0 && !file) throw new Error('--file needs a path');
  const deps = { runInScope: scopeRunner(sequelize) };
  const agencyId = await findInstallationAgency(deps);
  if (!agencyId) throw new Error('no agency yet: run the seed first');
  const existing = file && readExisting(file);
  if (existing && (await isCurrentN8nToken(deps, { agencyId, token: existing }))) {
    console.error(`n8n service token in ${file} is still valid; kept`);
  } else {
    const { token, tokenId, rotatedFrom } = await provisionN8nToken(deps, { agencyId });
    if (file) writeFileSync(file, `${token}\n`, { mode: 0o600 });
    else process.stdout.write(`${token}\n`);
    console.error(`n8n service token ${tokenId} issued${rotatedFrom.length > 0 ? ` (replaces ${rotatedFrom.length})` : ''}${file ? ` into ${file}` : ''}`);
  }
} catch (err) {
  console.error(`Provisioning the n8n token failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await sequelize.close();
}
