import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class SwitchboardApi implements ICredentialType {
	name = 'switchboardApi';

	displayName = 'Switchboard API';

	icon: Icon = { light: 'file:../icons/switchboard.svg', dark: 'file:../icons/switchboard.dark.svg' };

	documentationUrl = 'https://switchboard.example.com/docs/n8n-nodes#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'http://127.0.0.1:4000',
			placeholder: 'http://backend:4000',
			description: 'Internal URL of the Switchboard backend API, without a trailing slash',
			required: true,
		},
		{
			displayName: 'Service Token',
			name: 'serviceToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Token the backend issues to this n8n instance; sent as a Bearer token',
		},
		{
			displayName: 'Signing Secret',
			name: 'signingSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Optional. Each Switchboard Trigger registers its own secret when activated; this shared one is only checked for subscriptions created by hand',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.serviceToken}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/api/v1/service/whoami',
			method: 'GET',
		},
	};
}
