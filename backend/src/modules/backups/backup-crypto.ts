// Backup files are encrypted as a whole with a passphrase the operator chooses (BACKUP_PASSPHRASE): the dumps
// hold personal data and the archive holds the keys that decrypt provider credentials.
// Format: "SBBACKUP" | version 1 | 16-byte scrypt salt | 12-byte IV | AES-256-GCM ciphertext | 16-byte tag.
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const MAGIC = Buffer.from('SBBACKUP');
const VERSION = 1;
const SALT_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = MAGIC.length + 1 + SALT_BYTES + IV_BYTES;
// scrypt at N=2^15: about 0.1 s per backup or restore, expensive for anyone guessing passphrases offline.
const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export class BackupDecryptionError extends Error {}

function deriveKey(passphrase: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(passphrase, salt, 32, SCRYPT, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** Streams `source` into `targetPath`, encrypted; the tag at the end authenticates the whole file. */
export async function encryptToFile(source: Readable, targetPath: string, passphrase: string): Promise<void> {
  const salt = randomBytes(SALT_BYTES);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', await deriveKey(passphrase, salt), iv);
  const out = createWriteStream(targetPath, { mode: 0o600 });
  out.write(Buffer.concat([MAGIC, Buffer.from([VERSION]), salt, iv]));
  const appendTag = new Transform({
    transform: (chunk, _enc, done) => done(null, chunk),
    flush(done) {
      done(null, cipher.getAuthTag());
    },
  });
  await pipeline(source, cipher, appendTag, out);
}

/**
 * Decrypts `sourcePath` into `targetPath`. The tag is checked at the end: a wrong passphrase or a damaged file
 * throws BackupDecryptionError, and the caller must discard whatever was written.
 */
export async function decryptToFile(sourcePath: string, targetPath: string, passphrase: string): Promise<void> {
  const handle = await open(sourcePath, 'r');
  let header: Buffer;
  let tag: Buffer;
  let size: number;
  try {
    size = (await handle.stat()).size;
    if (size < HEADER_BYTES + TAG_BYTES) throw new BackupDecryptionError('not a Switchboard backup (file too short)');
    header = Buffer.alloc(HEADER_BYTES);
    await handle.read(header, 0, HEADER_BYTES, 0);
    tag = Buffer.alloc(TAG_BYTES);
    await handle.read(tag, 0, TAG_BYTES, size - TAG_BYTES);
  } finally {
    await handle.close();
  }
  if (!header.subarray(0, MAGIC.length).equals(MAGIC)) throw new BackupDecryptionError('not a Switchboard backup (unknown header)');
  if (header[MAGIC.length] !== VERSION) throw new BackupDecryptionError(`backup format version ${header[MAGIC.length]} is not supported`);
  const salt = header.subarray(MAGIC.length + 1, MAGIC.length + 1 + SALT_BYTES);
  const iv = header.subarray(MAGIC.length + 1 + SALT_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', await deriveKey(passphrase, salt), iv);
  decipher.setAuthTag(tag);
  try {
    await pipeline(createReadStream(sourcePath, { start: HEADER_BYTES, end: size - TAG_BYTES - 1 }), decipher, createWriteStream(targetPath, { mode: 0o600 }));
  } catch (err) {
    if (err instanceof Error && /auth|unable to authenticate/i.test(err.message)) {
      throw new BackupDecryptionError('the backup cannot be decrypted: wrong BACKUP_PASSPHRASE, or the file is damaged');
    }
    throw err;
  }
}
