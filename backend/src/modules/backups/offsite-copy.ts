// The optional off-site copy: each backup file is uploaded to an S3-compatible bucket (AWS S3, MinIO,
// Backblaze B2, Wasabi, ...) and pruned there by the same retention rule as on disk.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { BackupConfig } from '../../config.js';
import { backupsToPrune, takenAtOf, type BackupEntry } from './backup-retention.js';

type S3Settings = NonNullable<BackupConfig['s3']>;

export function createOffsiteClient(s3: S3Settings): S3Client {
  return new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: s3.forcePathStyle,
    // Checksums only where the operation needs one: many S3-compatible servers store the SDK's default
    // aws-chunked trailing-checksum framing as part of the object instead of decoding it.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    credentials: s3.accessKeyId && s3.secretAccessKey ? { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } : undefined,
  });
}

const keyOf = (s3: S3Settings, name: string) => `${s3.prefix ? `${s3.prefix.replace(/\/+$/, '')}/` : ''}${name}`;

export async function uploadBackup(client: S3Client, s3: S3Settings, path: string, name: string): Promise<string> {
  const key = keyOf(s3, name);
  const { size } = await stat(path);
  await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: createReadStream(path), ContentLength: size, ContentType: 'application/octet-stream' }));
  return key;
}

export async function listOffsiteBackups(client: S3Client, s3: S3Settings): Promise<(BackupEntry & { key: string })[]> {
  const entries: (BackupEntry & { key: string })[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: keyOf(s3, 'switchboard-'), ContinuationToken: token }));
    for (const object of page.Contents ?? []) {
      const name = object.Key?.split('/').at(-1) ?? '';
      const takenAt = takenAtOf(name);
      if (object.Key && takenAt) entries.push({ name, takenAt, key: object.Key });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return entries;
}

export async function pruneOffsite(client: S3Client, s3: S3Settings, retention: BackupConfig['retention']): Promise<string[]> {
  const prune = backupsToPrune(await listOffsiteBackups(client, s3), retention) as (BackupEntry & { key: string })[];
  if (prune.length === 0) return [];
  await client.send(new DeleteObjectsCommand({ Bucket: s3.bucket, Delete: { Objects: prune.map((e) => ({ Key: e.key })), Quiet: true } }));
  return prune.map((e) => e.name);
}
