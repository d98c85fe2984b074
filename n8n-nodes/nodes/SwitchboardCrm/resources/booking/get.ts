import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { itemRequest, stringParameter } from '../../../shared/descriptions';

export const getDescription: INodeProperties[] = [
	{
		displayName: 'Booking ID',
		name: 'bookingId',
		type: 'string',
		required: true,
		displayOptions: { show: { resource: ['booking'], operation: ['get'] } },
		default: '',
		placeholder: 'e.g. 3b2f6a10-7c0e-4d52-9a53-0c6e1f7a2b44',
		description: 'ID of the booking (e.g. data.bookingId of a booking event)',
	},
];

/** GET /api/v1/bookings/:id: the booking as it is now (status, start, end, service, contact). */
export async function get(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const bookingId = stringParameter.call(this, 'bookingId', itemIndex);
	if (!bookingId) throw new NodeOperationError(this.getNode(), 'Booking ID is empty', { itemIndex });
	return (await itemRequest.call(this, itemIndex, {
		method: 'GET',
		path: `/api/v1/bookings/${encodeURIComponent(bookingId)}`,
	})) as IDataObject;
}
