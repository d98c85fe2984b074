import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { itemRequest } from '../../../shared/descriptions';

export const getAvailabilityDescription: INodeProperties[] = [];

/**
 * GET /api/v1/channels/availability: which channels can send for the tenant now, e.g.
 * `{ sms: true, whatsapp: false, telegram: false, whatsappTransport: "baileys", details: {...} }`.
 * WhatsApp is true only with a connected transport (a linked phone online, or a Cloud API number).
 */
export async function getAvailability(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return (await itemRequest.call(this, itemIndex, { method: 'GET', path: '/api/v1/channels/availability' })) as IDataObject;
}
