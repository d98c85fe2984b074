import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { itemRequest } from '../../../shared/descriptions';
import { contactIdField, requiredContactId } from '../contact/get';

export const addDescription: INodeProperties[] = [
	contactIdField(['add'], 'note'),
	{
		displayName: 'Note',
		name: 'body',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		displayOptions: { show: { resource: ['note'], operation: ['add'] } },
		default: '',
		description: "Text shown on the contact's timeline, up to 10000 characters",
	},
];

/** POST /api/v1/contacts/:id/notes { body }. */
export async function add(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const contactId = requiredContactId.call(this, itemIndex);
	const body = String(this.getNodeParameter('body', itemIndex, '') ?? '');
	if (!body.trim()) throw new NodeOperationError(this.getNode(), 'Note is empty', { itemIndex });
	return (await itemRequest.call(this, itemIndex, {
		method: 'POST',
		path: `/api/v1/contacts/${contactId}/notes`,
		body: { body },
	})) as IDataObject;
}
