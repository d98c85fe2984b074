import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

/** One operation of one resource: runs for a single input item and returns that item's output. */
export type OperationHandler = (
	this: IExecuteFunctions,
	itemIndex: number,
) => Promise<IDataObject | IDataObject[]>;

/** Handlers of a node, by resource and then by operation (the values of its Resource/Operation options). */
export type OperationRegistry = Record<string, Record<string, OperationHandler>>;
