import { randomBytes } from 'node:crypto';

export const stripeId = (prefix: string) => `${prefix}_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;
export const stripeTestKey = () => `sk_test_${randomBytes(18).toString('hex')}`;
