import type { IDataObject, INodeProperties } from 'n8n-workflow';

/** Optional contact fields shared by Create or Update (the backend's saveContactBody minus phone). */
export const contactFields: INodeProperties[] = [
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
	},
	{
		displayName: 'Lead Stage',
		name: 'leadStage',
		type: 'string',
		default: '',
		placeholder: 'e.g. qualified',
		description: 'Lowercase words joined by _ or -, e.g. new, qualified, booked, won, lost',
	},
	{ displayName: 'Name', name: 'name', type: 'string', default: '' },
	{
		displayName: 'Notes',
		name: 'notes',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		description: 'The one "about" text of the contact (timeline notes: use Note › Add)',
	},
	{
		displayName: 'Telegram Chat ID',
		name: 'telegramChatId',
		type: 'string',
		default: '',
	},
	{
		displayName: 'Time Zone',
		name: 'timeZone',
		type: 'string',
		default: '',
		placeholder: 'e.g. America/New_York',
		description: 'IANA time zone; set by hand it overrides the one inferred from the phone number',
	},
	{ displayName: 'WhatsApp ID', name: 'whatsappId', type: 'string', default: '' },
];

/** Only the fields the user filled in: empty strings are "not given", not "clear". */
export function filledFields(fields: IDataObject): IDataObject {
	const result: IDataObject = {};
	for (const [key, value] of Object.entries(fields)) {
		if (typeof value === 'string' ? value.trim() !== '' : value !== undefined && value !== null) {
			result[key] = typeof value === 'string' ? value.trim() : value;
		}
	}
	return result;
}
