import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { itemRequest, stringParameter } from '../../../shared/descriptions';

const showFor = { show: { resource: ['conversation'], operation: ['getMany'] } };

export const getManyDescription: INodeProperties[] = [
	{
		displayName: 'Contact ID',
		name: 'contactId',
		type: 'string',
		required: true,
		displayOptions: showFor,
		default: '',
		description: 'The contact whose conversations to get (one per channel)',
	},
];

interface Conversation extends IDataObject {
	lastInboundAt: string | null;
	lastMessageAt: string | null;
}

function latest(values: Array<string | null>): string | null {
	const times = values.filter((value): value is string => !!value).sort();
	return times.length ? times[times.length - 1] : null;
}

/**
 * GET /api/v1/conversations?contactId=, as ONE item: the conversations plus `lastInboundAt`, the last
 * time the contact wrote on any channel (what a follow-up checks before sending again).
 */
export async function getMany(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const contactId = stringParameter.call(this, 'contactId', itemIndex);
	if (!contactId) throw new NodeOperationError(this.getNode(), 'Contact ID is empty', { itemIndex });
	const body = (await itemRequest.call(this, itemIndex, {
		method: 'GET',
		path: '/api/v1/conversations',
		qs: { contactId, limit: 50 },
	})) as { conversations?: Conversation[] };
	const conversations = body.conversations ?? [];
	return {
		contactId,
		conversations,
		lastInboundAt: latest(conversations.map((c) => c.lastInboundAt)),
		lastMessageAt: latest(conversations.map((c) => c.lastMessageAt)),
	};
}
