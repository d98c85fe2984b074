// s3rver ships no types; only what the backup tests use.
declare module 's3rver' {
  type BucketConfig = { name: string; configs: (string | Buffer)[] };
  export default class S3rver {
    constructor(options: { port?: number; address?: string; silent?: boolean; directory: string; configureBuckets?: BucketConfig[] });
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
  }
}
