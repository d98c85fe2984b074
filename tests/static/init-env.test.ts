import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { parseEnvExample } from './support/env-example.js';
import { parseEnvFile, runInitEnv, tempDirWithEnvExample } from './support/repo.js';

const generatedNames = parseEnvExample()
  .filter((v) => v.generate !== undefined)
  .map((v) => v.name);

describe('deploy/scripts/init-env.sh', function () {
  this.timeout(30_000);
  const cleanups: Array<() => void> = [];
  const freshDir = () => {
    const { dir, cleanup } = tempDirWithEnvExample();
    cleanups.push(cleanup);
    return dir;
  };
  const readEnv = (dir: string) => parseEnvFile(readFileSync(join(dir, '.env'), 'utf8'));
  after(() => cleanups.forEach((cleanup) => cleanup()));

  it('when .env is missing, then it creates one (mode 600) with every generated secret filled', () => {
    const dir = freshDir();
    const result = runInitEnv(dir);
    expect(result.status, result.stderr).to.equal(0);
    expect(statSync(join(dir, '.env')).mode & 0o777).to.equal(0o600);
    const env = readEnv(dir);
    for (const name of generatedNames) expect(env.get(name), name).to.match(/^.{16,}$/);
    expect(result.stdout).to.contain('Created');
    expect(result.stdout).to.match(/DOMAIN/).and.match(/ACME_EMAIL/);
  });

  it('when run in two places, then the secrets differ between runs and from each other', () => {
    const [first, second] = [freshDir(), freshDir()].map((dir) => {
      expect(runInitEnv(dir).status).to.equal(0);
      return readEnv(dir);
    });
    for (const name of generatedNames) expect(first!.get(name), name).to.not.equal(second!.get(name));
    const values = generatedNames.map((name) => first!.get(name));
    expect(new Set(values).size).to.equal(values.length);
  });

  it('when ENCRYPTION_KEY is generated, then it is base64 of exactly 32 bytes', () => {
    const dir = freshDir();
    runInitEnv(dir);
    const key = readEnv(dir).get('ENCRYPTION_KEY')!;
    expect(key).to.match(/^[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(key, 'base64')).to.have.length(32);
  });

  it('when a password is generated, then it is URL-safe (it goes into postgres:// and redis:// URLs)', () => {
    const dir = freshDir();
    runInitEnv(dir);
    const env = readEnv(dir);
    for (const name of generatedNames.filter((n) => n.endsWith('_PASSWORD'))) {
      expect(env.get(name), name).to.match(/^[A-Za-z0-9_-]+$/);
    }
  });

  it('when the n8n owner password is generated, then it meets n8n rules (upper-case letter, digit, 8-64 chars)', () => {
    for (let i = 0; i < 5; i += 1) {
      const dir = freshDir();
      runInitEnv(dir);
      const password = readEnv(dir).get('N8N_OWNER_PASSWORD')!;
      expect(password).to.match(/[A-Z]/).and.match(/[0-9]/);
      expect(password.length).to.be.within(8, 64);
    }
  });

  it('when .env already exists, then it is left byte for byte and the script says nothing changed', () => {
    const dir = freshDir();
    runInitEnv(dir);
    const before = readFileSync(join(dir, '.env'), 'utf8');
    const again = runInitEnv(dir);
    expect(again.status).to.equal(0);
    expect(again.stdout).to.contain('nothing changed');
    expect(readFileSync(join(dir, '.env'), 'utf8')).to.equal(before);
  });

  it('when an existing .env (an older release) lacks a new secret, then it is appended with a fresh value; data keys and passwords are never invented', () => {
    const dir = freshDir();
    runInitEnv(dir);
    const complete = readFileSync(join(dir, '.env'), 'utf8');
    const older = complete.replace(/^CLIENT_ADDRESS_SECRET=.*\n/m, '').replace(/^ENCRYPTION_KEY=.*\n/m, '').replace(/^APP_DB_PASSWORD=.*\n/m, '');
    writeFileSync(join(dir, '.env'), older);
    const result = runInitEnv(dir);
    expect(result.status).to.equal(0);
    expect(result.stdout).to.contain('added new secrets with fresh values: CLIENT_ADDRESS_SECRET');
    expect(result.stdout).to.match(/Warning: .*ENCRYPTION_KEY/).and.match(/Warning: .*APP_DB_PASSWORD/);
    const after = readFileSync(join(dir, '.env'), 'utf8');
    expect(after.startsWith(older)).to.equal(true);
    expect(readEnv(dir).get('CLIENT_ADDRESS_SECRET')).to.match(/^[A-Za-z0-9+/=]{40,}$/);
    expect(readEnv(dir).has('ENCRYPTION_KEY')).to.equal(false);
    expect(readEnv(dir).has('APP_DB_PASSWORD')).to.equal(false);
  });
});
