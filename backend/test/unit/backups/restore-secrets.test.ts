import { expect } from 'chai';
import { mergeRestoredSecrets } from '../../../src/modules/backups/restore-secrets.js';

describe('restoring .env values from a backup', () => {
  const backedUp = [
    'DOMAIN=old.example.com',
    'ENCRYPTION_KEY=old-key',
    'N8N_ENCRYPTION_KEY=old-n8n-key',
    'APP_DB_PASSWORD=old-db-password',
    'REDIS_PASSWORD=old-redis',
    'SEED_ADMIN_PASSWORD=old-admin',
    'STRIPE_SECRET_KEY=sk_test_old',
    'BACKUP_PASSPHRASE=old-passphrase',
  ].join('\n');

  it('when restored onto a new install, then the keys that read the data come from the backup and the install keeps its passwords and host names', () => {
    const current = ['# [[CORE]]', 'DOMAIN=new.example.com', 'ENCRYPTION_KEY=new-key', 'N8N_ENCRYPTION_KEY=new-n8n-key', 'APP_DB_PASSWORD=new-db-password', 'REDIS_PASSWORD=new-redis', 'SEED_ADMIN_PASSWORD=new-admin', 'BACKUP_PASSPHRASE=new-passphrase', ''].join('\n');
    const { text, changed } = mergeRestoredSecrets(current, backedUp);
    expect(text.split('\n')).to.include.members([
      '# [[CORE]]',
      'DOMAIN=new.example.com',
      'ENCRYPTION_KEY=old-key',
      'N8N_ENCRYPTION_KEY=old-n8n-key',
      'APP_DB_PASSWORD=new-db-password',
      'REDIS_PASSWORD=new-redis',
      'SEED_ADMIN_PASSWORD=old-admin',
      'BACKUP_PASSPHRASE=new-passphrase',
      'STRIPE_SECRET_KEY=sk_test_old',
    ]);
    expect(changed).to.have.members(['ENCRYPTION_KEY', 'N8N_ENCRYPTION_KEY', 'SEED_ADMIN_PASSWORD', 'STRIPE_SECRET_KEY']);
    expect(text.indexOf('ENCRYPTION_KEY=old-key')).to.be.lessThan(text.indexOf('# Restored from a backup'));
  });

  it('when the install already has the same values, then nothing is reported as changed', () => {
    const { changed } = mergeRestoredSecrets(backedUp, backedUp);
    expect(changed).to.deep.equal([]);
  });
});
