import type { Redis } from 'ioredis';
import type { Sequelize } from 'sequelize';
import type { DependencyProbe } from './check-readiness.js';

export function postgresProbe(sequelize: Sequelize): DependencyProbe {
  return { name: 'postgres', probe: async () => void (await sequelize.query('SELECT 1')) };
}

export function redisProbe(redis: Redis): DependencyProbe {
  return {
    name: 'redis',
    probe: async () => {
      const answer = await redis.ping();
      if (answer !== 'PONG') throw new Error(`unexpected PING answer: ${answer}`);
    },
  };
}

export function n8nProbe(baseUrl: string): DependencyProbe {
  return {
    name: 'n8n',
    probe: async (signal) => {
      const response = await fetch(`${baseUrl}/healthz`, { signal });
      if (!response.ok) throw new Error(`n8n /healthz answered ${response.status}`);
    },
  };
}
