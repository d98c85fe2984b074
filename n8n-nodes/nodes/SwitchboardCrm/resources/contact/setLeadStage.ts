import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { itemRequest, stringParameter } from '../../../shared/descriptions';
import { contactIdField, requiredContactId } from './get';

export const setLeadStageDescription: INodeProperties[] = [
	contactIdField(['setLeadStage']),
	{
		displayName: 'Lead Stage',
		name: 'leadStage',
		type: 'string',
		required: true,
		displayOptions: { show: { resource: ['contact'], operation: ['setLeadStage'] } },
		default: '',
		placeholder: 'e.g. booked',
		description: 'Lowercase words joined by _ or -, e.g. new, qualified, booked, won, lost',
	},
];

/** PATCH /api/v1/contacts/:id { leadStage }. */
export async function setLeadStage(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const contactId = requiredContactId.call(this, itemIndex);
	const leadStage = stringParameter.call(this, 'leadStage', itemIndex);
	if (!/^[a-z0-9_-]{1,40}$/.test(leadStage)) {
		throw new NodeOperationError(this.getNode(), `"${leadStage}" is not a lead stage`, {
			itemIndex,
			description: 'Use lowercase words joined by _ or -, e.g. new, qualified, booked (at most 40 characters).',
		});
	}
	return (await itemRequest.call(this, itemIndex, {
		method: 'PATCH',
		path: `/api/v1/contacts/${contactId}`,
		body: { leadStage },
	})) as IDataObject;
}
