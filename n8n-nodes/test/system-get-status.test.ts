import { expect } from 'chai';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { Switchboard } from '../nodes/Switchboard/Switchboard.node.ts';
import { connectionRefused, fakeExecution, jsonResponse } from './support/execute-functions';

const getStatus = { resource: 'system', operation: 'getStatus' };
const readyBody = {
	status: 'ok',
	checks: { postgres: { ok: true, latencyMs: 2 }, redis: { ok: true, latencyMs: 1 } },
};
const unavailableBody = {
	status: 'unavailable',
	checks: { postgres: { ok: false, latencyMs: 3000, error: 'no answer within 3000 ms' } },
};

async function run(execution: ReturnType<typeof fakeExecution>) {
	return await new Switchboard().execute.call(execution.context);
}

async function runExpectingError(execution: ReturnType<typeof fakeExecution>): Promise<Error> {
	try {
		await run(execution);
	} catch (error) {
		return error as Error;
	}
	throw new Error('expected execute() to throw');
}

describe('Switchboard node, System > Get Status', () => {
	it('when the backend is ready, then it returns its /readyz body with ready: true', async () => {
		const execution = fakeExecution({ parameters: getStatus, respond: () => jsonResponse(200, readyBody) });

		const [output] = await run(execution);

		expect(output).to.deep.equal([
			{ json: { ...readyBody, ready: true, httpStatus: 200 }, pairedItem: { item: 0 } },
		]);
	});

	it('when it asks, then it sends an authenticated GET /readyz that does not throw on HTTP errors', async () => {
		const execution = fakeExecution({
			parameters: getStatus,
			credentials: { baseUrl: 'http://backend.test:4000/', serviceToken: 't', signingSecret: 's' },
			respond: () => jsonResponse(200, readyBody),
		});

		await run(execution);

		expect(execution.requests).to.have.length(1);
		const [{ credentialType, options }] = execution.requests;
		expect(credentialType).to.equal('switchboardApi');
		expect(options).to.include({
			method: 'GET',
			url: 'http://backend.test:4000/readyz',
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		});
	});

	it('when the backend answers 503, then it returns the body with ready: false instead of failing', async () => {
		const execution = fakeExecution({
			parameters: getStatus,
			respond: () => jsonResponse(503, unavailableBody),
		});

		const [output] = await run(execution);

		expect(output[0].json).to.deep.equal({ ...unavailableBody, ready: false, httpStatus: 503 });
	});

	it('when the backend cannot be reached, then it throws a NodeOperationError naming the item', async () => {
		const execution = fakeExecution({
			parameters: getStatus,
			items: [{ json: {} }, { json: {} }],
			respond: (options, call) => {
				if (call === 1) throw connectionRefused(options.url);
				return jsonResponse(200, readyBody);
			},
		});

		const error = await runExpectingError(execution);

		expect(error).to.be.instanceOf(NodeOperationError);
		const { context, description } = error as NodeOperationError;
		expect(context.itemIndex).to.equal(1);
		expect(error.message).to.equal(
			'Could not reach the Switchboard backend: The service refused the connection - perhaps it is offline',
		);
		expect(description).to.contain('Tried http://backend.test:4000/readyz');
	});

	it('when the backend cannot be reached and the node continues on fail, then the item carries the error', async () => {
		const execution = fakeExecution({
			parameters: getStatus,
			items: [{ json: {} }, { json: {} }],
			continueOnFail: true,
			respond: (options, call) => {
				if (call === 0) throw connectionRefused(options.url);
				return jsonResponse(200, readyBody);
			},
		});

		const [output] = await run(execution);

		expect(output).to.have.length(2);
		expect(output[0].pairedItem).to.deep.equal({ item: 0 });
		expect(output[0].json.error).to.match(/^Could not reach the Switchboard backend: /);
		expect(output[1]).to.deep.include({ pairedItem: { item: 1 } });
		expect(output[1].json.ready).to.equal(true);
	});

	it('when the backend answers an unexpected status, then it throws a NodeApiError with that code', async () => {
		const execution = fakeExecution({
			parameters: getStatus,
			respond: () => jsonResponse(500, { error: { code: 'INTERNAL' } }),
		});

		const error = await runExpectingError(execution);

		expect(error).to.be.instanceOf(NodeApiError);
		expect((error as NodeApiError).httpCode).to.equal('500');
		expect((error as NodeApiError).context.itemIndex).to.equal(0);
	});

	it('when the operation is unknown, then it throws a NodeOperationError without calling the backend', async () => {
		const execution = fakeExecution({
			parameters: { resource: 'system', operation: 'reboot' },
			respond: () => jsonResponse(200, readyBody),
		});

		const error = await runExpectingError(execution);

		expect(error).to.be.instanceOf(NodeOperationError);
		expect(error.message).to.contain('"reboot" is not supported');
		expect(execution.requests).to.have.length(0);
	});
});
