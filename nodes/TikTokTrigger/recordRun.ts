import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { itemDeliveryKey, persistAccepted, triggerScope } from './dedupe';

/**
 * The trigger's step in the execution it started: passes its item on unchanged and records the
 * delivery in the execution's static data, which n8n saves when the execution ends (n8n 2.41
 * drops what the webhook handler stored once it starts an execution; see dedupe.ts).
 */
export async function recordRun(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const keys = items.map((item) => itemDeliveryKey(item.json)).filter((key): key is string => key !== undefined);
	if (keys.length > 0) {
		persistAccepted(this.getWorkflowStaticData('node'), triggerScope(this), keys, Math.floor(Date.now() / 1000));
	}
	return [items.map((item, index) => ({ ...item, pairedItem: { item: index } }))];
}
