import { z } from 'zod';

// Schema pieces shared by route declarations. Objects are strict: unknown fields are a 400.
export const uuid = z.uuid();
export const emptyBody = z.strictObject({});
export const emptyQuery = z.strictObject({});
export const pagination = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
};
export const isoDateTime = z.iso.datetime({ offset: true });
