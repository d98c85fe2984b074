import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { itemRequest, stringParameter } from '../../../shared/descriptions';
import { contactIdField, requiredContactId } from '../contact/get';

const showFor = { show: { resource: ['activity'], operation: ['getMany'] } };

export const getManyDescription: INodeProperties[] = [
	contactIdField(['getMany'], 'activity'),
	{
		displayName: 'Type',
		name: 'type',
		type: 'string',
		displayOptions: showFor,
		default: '',
		placeholder: 'e.g. booking.created',
		description: 'Only activities of exactly this type. Empty: all types.',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 200 },
		displayOptions: showFor,
		default: 50,
		description: 'Max number of results to return',
	},
];

/**
 * GET /api/v1/contacts/:id/activities, newest first, as ONE item `{ activities: [...] }` so that
 * "no activity" still lets the workflow go on (and an IF can test the list).
 */
export async function getMany(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const contactId = requiredContactId.call(this, itemIndex);
	const type = stringParameter.call(this, 'type', itemIndex);
	const limit = this.getNodeParameter('limit', itemIndex, 50) as number;
	const body = (await itemRequest.call(this, itemIndex, {
		method: 'GET',
		path: `/api/v1/contacts/${contactId}/activities`,
		qs: { limit, ...(type ? { type } : {}) },
	})) as { activities?: IDataObject[] };
	const activities = body.activities ?? [];
	return { contactId: decodeURIComponent(contactId), count: activities.length, activities };
}
