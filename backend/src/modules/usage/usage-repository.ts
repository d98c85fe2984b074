import type { Transaction } from 'sequelize';
import { queryOne } from '../../db/sql.js';

/** Who caused the usage: an n8n workflow (service token), a person in the portal, or the agent runtime. */
export type UsageSource = 'n8n' | 'portal' | 'agent';

export type UsageEvent = {
  agencyId: string;
  tenantId: string;
  kind: 'llm.tokens';
  source: UsageSource;
  model: string | null;
  inputTokens: number;
  outputTokens: number;
  estimatedCostMicros: number;
  reference: string | null;
  actorType: string | null;
  actorId: string | null;
  /** The agent runtime meters per agent and conversation. */
  agentId?: string | null;
  conversationId?: string | null;
};

/** One metering row per provider call; returns its id. */
export async function insertUsageEvent(tx: Transaction, event: UsageEvent): Promise<string> {
  const row = await queryOne<{ id: string }>(
    tx,
    `INSERT INTO usage_events (agency_id, tenant_id, kind, source, model, input_tokens, output_tokens, estimated_cost_micros, reference, actor_type, actor_id,
       agent_id, conversation_id)
     VALUES (:agencyId, :tenantId, :kind, :source, :model, :inputTokens, :outputTokens, :estimatedCostMicros, :reference, :actorType, :actorId,
       :agentId, :conversationId)
     RETURNING id`,
    { agentId: null, conversationId: null, ...event },
  );
  return row!.id;
}
