import { expect } from 'chai';
import { NodeApiError } from 'n8n-workflow';
import { joinUrl, switchboardApiRequest } from '../nodes/shared/transport';
import { fakeExecution, jsonResponse } from './support/execute-functions';

describe('Switchboard transport', () => {
	it('joins the base URL and the path with exactly one slash', () => {
		expect(joinUrl('http://backend:4000/', '/api/v1/contacts')).to.equal('http://backend:4000/api/v1/contacts');
		expect(joinUrl('http://backend:4000', 'readyz')).to.equal('http://backend:4000/readyz');
	});

	it('when the backend answers 2xx, then switchboardApiRequest returns the body', async () => {
		const { context, requests } = fakeExecution({
			parameters: {},
			respond: () => jsonResponse(201, { id: 'c_1' }),
		});

		const body = await switchboardApiRequest.call(context, {
			method: 'POST',
			path: '/api/v1/contacts',
			body: { name: 'Ada' },
		});

		expect(body).to.deep.equal({ id: 'c_1' });
		expect(requests[0].options).to.deep.include({ method: 'POST', body: { name: 'Ada' } });
	});

	it('when the backend answers 4xx, then switchboardApiRequest throws a NodeApiError with its code', async () => {
		const { context } = fakeExecution({
			parameters: {},
			respond: () => jsonResponse(409, { error: { code: 'CONFLICT', message: 'already exists' } }),
		});

		let thrown: unknown;
		try {
			await switchboardApiRequest.call(context, { method: 'POST', path: '/api/v1/contacts' }, 3);
		} catch (error) {
			thrown = error;
		}

		expect(thrown).to.be.instanceOf(NodeApiError);
		expect((thrown as NodeApiError).httpCode).to.equal('409');
		expect((thrown as NodeApiError).context.itemIndex).to.equal(3);
	});
});
