/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// What the numbers were measured on: they only mean something next to the machine.
import { cpus, loadavg, release, totalmem } from 'os';

export interface MachineInfo {
	cpuModel: string;
	cores: number;
	ramGiB: number;
	kernel: string;
	/** 1-minute load average when the benchmark started: other work on the machine skews results. */
	loadAverage1m: number;
}

export function machineInfo(): MachineInfo {
	const cpuList = cpus();
	return {
		cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
		cores: cpuList.length,
		ramGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
		kernel: `${process.platform} ${release()}`,
		loadAverage1m: Math.round(loadavg()[0] * 100) / 100,
	};
}
