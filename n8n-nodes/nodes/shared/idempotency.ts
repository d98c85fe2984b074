import { createHash, randomUUID } from 'crypto';
import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * The idempotency key a send uses when the workflow gives none: the same for the same execution,
 * node and item, so n8n's "Retry On Fail" (and any re-run of this node inside the execution) never
 * sends twice. The node name is hashed because keys must be printable ASCII without spaces.
 *
 * A *new* execution (a replayed webhook, "Retry" in the executions list) has a new id and thus a new
 * key: workflows that must send once per business event set the key from that event, e.g. the call id.
 */
export function defaultIdempotencyKey(this: IExecuteFunctions, itemIndex: number): string {
	const nodeName = this.getNode().name;
	const nodeHash = createHash('sha256').update(nodeName).digest('hex').slice(0, 16);
	// Without an execution id (never in a real run) there is nothing stable to derive from.
	const executionId = this.getExecutionId() || `noexec${randomUUID()}`;
	return `n8n-${executionId}-${nodeHash}-${itemIndex}`;
}
