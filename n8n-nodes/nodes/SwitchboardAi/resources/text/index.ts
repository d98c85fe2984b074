import type { INodeProperties } from 'n8n-workflow';
import type { OperationHandler } from '../../../shared/types';
import { generate, generateDescription } from './generate';

export const textDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['text'] } },
		options: [
			{
				name: 'Classify',
				value: 'classify',
				action: 'Classify a text into labels',
				description: 'Pick the label that fits the text best; outputs label (or null) and the raw answer',
			},
			{
				name: 'Draft Reply',
				value: 'draftReply',
				action: 'Draft a reply to a message',
				description: 'Write a reply to a customer message, in the tenant\'s voice',
			},
			{
				name: 'Summarize',
				value: 'summarize',
				action: 'Summarize a text',
				description: 'Summarize a conversation, transcript or note',
			},
		],
		default: 'draftReply',
	},
	...generateDescription,
];

export const textOperations: Record<string, OperationHandler> = {
	draftReply: generate,
	summarize: generate,
	classify: generate,
};
