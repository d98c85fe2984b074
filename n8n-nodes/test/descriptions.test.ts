import { expect } from 'chai';
import { SwitchboardApi } from '../credentials/SwitchboardApi.credentials.ts';
import { Switchboard } from '../nodes/Switchboard/Switchboard.node.ts';

describe('Switchboard API credential', () => {
	const credential = new SwitchboardApi();

	it('sends the service token as a Bearer token', () => {
		expect(credential.authenticate.properties.headers).to.deep.equal({
			Authorization: '=Bearer {{$credentials.serviceToken}}',
		});
	});

	it('is tested against the backend whoami endpoint', () => {
		expect(credential.test.request).to.include({ url: '/api/v1/service/whoami', method: 'GET' });
	});

	it('hides both secrets', () => {
		const secrets = credential.properties.filter((p) => p.typeOptions?.password);
		expect(secrets.map((p) => p.name)).to.deep.equal(['serviceToken', 'signingSecret']);
	});
});

describe('Switchboard node description', () => {
	const { description } = new Switchboard();

	it('is named "switchboard", which workflows reference as CUSTOM.switchboard', () => {
		expect(description.name).to.equal('switchboard');
	});

	it('uses the Switchboard API credential and can be used as an AI tool', () => {
		expect(description.credentials).to.deep.equal([{ name: 'switchboardApi', required: true }]);
		expect(description.usableAsTool).to.equal(true);
	});
});
