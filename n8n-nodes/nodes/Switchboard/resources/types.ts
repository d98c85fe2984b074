import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

/** One operation of one resource: runs for a single input item and returns that item's output. */
export type OperationHandler = (
	this: IExecuteFunctions,
	itemIndex: number,
) => Promise<IDataObject | IDataObject[]>;
