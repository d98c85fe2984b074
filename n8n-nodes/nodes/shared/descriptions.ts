import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { SwitchboardRequest } from './transport';
import { switchboardApiRequest } from './transport';

/** Every action node's first field: which tenant an agency-wide service token acts for. */
export const tenantIdProperty: INodeProperties = {
	displayName: 'Tenant ID',
	name: 'tenantId',
	type: 'string',
	default: '',
	placeholder: 'e.g. 2f6c1a4e-8b0d-4c6a-9e35-7d1f0b2a9c11',
	description:
		'The tenant to act for. Needed with an agency service token: usually the tenantId of the event that started the workflow. Leave empty with a tenant token.',
	hint: 'Tip: drag the tenantId of the Switchboard Trigger output here',
};

/** A request made for one input item, on behalf of that item's tenant. */
export async function itemRequest(
	this: IExecuteFunctions,
	itemIndex: number,
	request: Omit<SwitchboardRequest, 'tenantId'>,
): Promise<unknown> {
	const tenantId = ((this.getNodeParameter('tenantId', itemIndex, '') as string) || '').trim();
	return await switchboardApiRequest.call(this, { ...request, tenantId }, itemIndex);
}

/** A string parameter, trimmed; required ones must not be blank. */
export function stringParameter(
	this: IExecuteFunctions,
	name: string,
	itemIndex: number,
	fallback = '',
): string {
	return String(this.getNodeParameter(name, itemIndex, fallback) ?? '').trim();
}
