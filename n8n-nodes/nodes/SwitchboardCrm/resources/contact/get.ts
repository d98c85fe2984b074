import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { itemRequest, stringParameter } from '../../../shared/descriptions';

export const contactIdField = (operations: string[], resource = 'contact'): INodeProperties => ({
	displayName: 'Contact ID',
	name: 'contactId',
	type: 'string',
	required: true,
	displayOptions: { show: { resource: [resource], operation: operations } },
	default: '',
	placeholder: 'e.g. 7d1f0b2a-9c11-4c6a-9e35-2f6c1a4e8b0d',
	description: 'ID of the Switchboard contact (e.g. data.contactId of an event)',
});

export const getDescription: INodeProperties[] = [contactIdField(['get'])];

export function requiredContactId(this: IExecuteFunctions, itemIndex: number): string {
	const contactId = stringParameter.call(this, 'contactId', itemIndex);
	if (!contactId) throw new NodeOperationError(this.getNode(), 'Contact ID is empty', { itemIndex });
	return encodeURIComponent(contactId);
}

/** GET /api/v1/contacts/:id: the contact with its consent per channel. */
export async function get(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const contactId = requiredContactId.call(this, itemIndex);
	return (await itemRequest.call(this, itemIndex, {
		method: 'GET',
		path: `/api/v1/contacts/${contactId}`,
	})) as IDataObject;
}
