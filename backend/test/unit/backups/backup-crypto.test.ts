import { expect } from 'chai';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { BackupDecryptionError, decryptToFile, encryptToFile } from '../../../src/modules/backups/backup-crypto.js';

describe('backup encryption', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'sb-crypto-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const plain = Buffer.from('switchboard backup: Grüße ✓ '.repeat(5000));

  it('when a file is encrypted and decrypted with the same passphrase, then the bytes come back and the file does not contain them', async () => {
    await encryptToFile(Readable.from([plain]), join(dir, 'b.sbbk'), 'correct horse battery');
    const sealed = await readFile(join(dir, 'b.sbbk'));
    expect(sealed.includes(Buffer.from('switchboard backup'))).to.equal(false);
    await decryptToFile(join(dir, 'b.sbbk'), join(dir, 'out'), 'correct horse battery');
    expect((await readFile(join(dir, 'out'))).equals(plain)).to.equal(true);
  });

  it('when the passphrase is wrong or one byte is changed, then decryption fails with a clear error', async () => {
    await encryptToFile(Readable.from([plain]), join(dir, 'b.sbbk'), 'correct horse battery');
    let error: unknown;
    await decryptToFile(join(dir, 'b.sbbk'), join(dir, 'out'), 'wrong passphrase!').catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(BackupDecryptionError);
    const sealed = await readFile(join(dir, 'b.sbbk'));
    sealed[sealed.length - 100] = sealed[sealed.length - 100]! ^ 1;
    await writeFile(join(dir, 'tampered.sbbk'), sealed);
    error = undefined;
    await decryptToFile(join(dir, 'tampered.sbbk'), join(dir, 'out2'), 'correct horse battery').catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(BackupDecryptionError);
    await writeFile(join(dir, 'other'), 'not a backup at all, just text');
    error = undefined;
    await decryptToFile(join(dir, 'other'), join(dir, 'out3'), 'correct horse battery').catch((e: unknown) => (error = e));
    expect(String(error)).to.match(/not a Switchboard backup/);
  });
});
