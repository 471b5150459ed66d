import { OptionError } from './errors';
import { requireBoolean } from './option-checks';
import { CodeStarFargateProjectOptions, CpuArchitecture } from './options';

/**
 * Fargate's task sizes: for each CPU value, the memory values (MiB) AWS
 * accepts. From the ECS developer guide's "Task CPU and memory" table.
 */
const FARGATE_MEMORY_BY_CPU: Record<number, { min: number; max: number; step: number }> = {
  256: { min: 512, max: 2048, step: 512 },
  512: { min: 1024, max: 4096, step: 1024 },
  1024: { min: 2048, max: 8192, step: 1024 },
  2048: { min: 4096, max: 16384, step: 1024 },
  4096: { min: 8192, max: 30720, step: 1024 },
  8192: { min: 16384, max: 61440, step: 4096 },
  16384: { min: 32768, max: 122880, step: 8192 },
};

/** The memory values (MiB) Fargate accepts with `cpu` CPU units, or none. */
export function fargateMemoryOptions(cpu: number): number[] {
  const row = FARGATE_MEMORY_BY_CPU[cpu];
  if (!row) {
    return [];
  }
  const values = [];
  for (let memory = row.min; memory <= row.max; memory += row.step) {
    // 256 CPU units take 512, 1024 and 2048 MiB, but not 1536.
    if (cpu !== 256 || memory !== 1536) {
      values.push(memory);
    }
  }
  return values;
}

/** Throws an error naming the option, the value and what is allowed unless cpu/memory is a Fargate size. */
export function validateFargateSize(cpu: number, memoryMiB: number, names = { cpu: 'cpu', memory: 'memory' }): void {
  const allowedCpu = Object.keys(FARGATE_MEMORY_BY_CPU).join(', ');
  if (!FARGATE_MEMORY_BY_CPU[cpu]) {
    throw new OptionError(`${names.cpu} ${JSON.stringify(cpu)} is not a Fargate CPU value: use one of ${allowedCpu}.`);
  }
  const allowedMemory = fargateMemoryOptions(cpu);
  if (!allowedMemory.includes(memoryMiB)) {
    throw new OptionError(`${names.memory} ${JSON.stringify(memoryMiB)} is not allowed with ${names.cpu} ${cpu}: Fargate accepts ${describeMemory(cpu)}.`);
  }
}

function describeMemory(cpu: number): string {
  const row = FARGATE_MEMORY_BY_CPU[cpu];
  if (cpu === 256) {
    return fargateMemoryOptions(cpu).join(', ') + ' MiB';
  }
  return `${row.min} to ${row.max} MiB in steps of ${row.step}`;
}

/** The project's architecture and Fargate Spot choice; errors name the option, the value and what is allowed. */
export function resolveCompute(options: CodeStarFargateProjectOptions): { architecture: CpuArchitecture; fargateSpot: boolean } {
  const architecture = options.architecture ?? CpuArchitecture.X86_64;
  validateArchitecture('architecture', architecture);
  const fargateSpot = options.fargateSpot ?? false;
  requireBoolean('fargateSpot', fargateSpot);
  refuseSpotOnArchitecture('fargateSpot', fargateSpot, architecture);
  return { architecture, fargateSpot };
}

/** Throws unless `architecture` is one of `CpuArchitecture`'s values. */
export function validateArchitecture(option: string, architecture: unknown): void {
  const allowed = Object.values(CpuArchitecture) as string[];
  if (typeof architecture !== 'string' || !allowed.includes(architecture)) {
    throw new OptionError(`${option} ${JSON.stringify(architecture)} is not allowed: it must be one of ${allowed.map(value => `CpuArchitecture.${value}`).join(', ')}.`);
  }
}

/**
 * Refuses Fargate Spot for ARM64 tasks, which it never places: "Fargate Spot only supports Linux tasks with the
 * X86_64 architecture" (docs.aws.amazon.com/AmazonECS/latest/userguide/fargate-capacity-providers.html).
 */
export function refuseSpotOnArchitecture(option: string, fargateSpot: boolean | undefined, architecture: CpuArchitecture | undefined): void {
  if (fargateSpot === true && architecture === CpuArchitecture.ARM64) {
    throw new OptionError(`${option} true is not allowed with architecture CpuArchitecture.ARM64: Fargate Spot runs only X86_64 Linux tasks, so ECS would never place them. Use architecture CpuArchitecture.X86_64 with Spot, or leave ${option} off (false) on ARM64.`);
  }
}
