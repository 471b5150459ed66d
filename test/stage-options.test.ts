import * as fs from 'fs';
import { App, Stack } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { CodeStarFargatePipeline, CodeStarFargateProject, CodeStarFargateProjectOptions, PipelineSource, StageOptions } from '../src';
import { serviceOptions } from './helpers';
import { fargateMemoryOptions } from '../src/fargate';
import { resolveServiceSettings } from '../src/validation';

const TASK_SIZE = { cpu: 256, memoryMiB: 512 };

function resolve(overrides: Partial<CodeStarFargateProjectOptions>) {
  return resolveServiceSettings(serviceOptions(overrides), TASK_SIZE);
}

/** The error `resolve` throws, or undefined when the options are accepted. */
function refusal(overrides: Partial<CodeStarFargateProjectOptions>): string | undefined {
  try {
    resolve(overrides);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

const stage = (fields: Partial<StageOptions>): Partial<CodeStarFargateProjectOptions> => ({ stageOptions: [{ name: 'dev' }, { name: 'production', ...fields }] });

describe('stageOptions', () => {
  it('resolves each stage from its own values and the project\'s, the stage winning', () => {
    const settings = resolve({
      environment: { LOG_LEVEL: 'info', GREETING: 'hello' },
      secrets: { API_KEY: { ssmParameter: '/orders/api-key' } },
      egress: [{ port: 6379, securityGroupId: 'sg-0123456789abcdef0' }],
      stageOptions: [
        { name: 'dev', environment: { GREETING: 'hello from dev' } },
        { name: 'production', cpu: 1024, memory: 2048, minContainers: 2, maxContainers: 8, autoScalingTargetCpu: 60, approval: false, egress: [{ port: 5432, cidr: '10.0.0.0/16' }] },
      ],
    });
    expect(settings.stages).toEqual(['dev', 'production']);
    const [dev, production] = settings.stageSettings;
    expect(dev).toMatchObject({ cpu: 256, memory: 512, minContainers: 1, maxContainers: 4, approvalRequired: false, environment: { LOG_LEVEL: 'info', GREETING: 'hello from dev' } });
    expect(production).toMatchObject({ cpu: 1024, memory: 2048, minContainers: 2, maxContainers: 8, autoScalingTargetCpu: 60, approvalRequired: false, environment: { GREETING: 'hello' } });
    expect(production.secrets).toEqual({ API_KEY: { source: 'ssmParameter', id: '/orders/api-key' } });
    expect(production.egress).toEqual([{ port: 6379, securityGroupId: 'sg-0123456789abcdef0' }, { port: 5432, cidr: '10.0.0.0/16' }]);
  });

  it('gives plain stage names the project\'s values, and production an approval', () => {
    const settings = resolve({ stages: ['dev', 'prod'], cpu: 512, memoryMiB: 1024 });
    expect(settings.stageSettings.map(s => [s.name, s.cpu, s.memory, s.approvalRequired])).toEqual([['dev', 512, 1024, false], ['prod', 512, 1024, true]]);
  });

  it('refuses stages and stageOptions together', () => {
    expect(refusal({ stages: ['dev'], stageOptions: [{ name: 'dev' }] })).toMatch(/^stages \["dev"\] and stageOptions are both given/);
  });

  it.each<[string, Partial<CodeStarFargateProjectOptions>, string]>([
    ['an unknown field', { stageOptions: [{ name: 'dev', memoryMiB: 512 } as any] }, 'stageOptions[0].memoryMiB is not allowed: a stage\'s fields are name, cpu, memory'],
    ['a stage name with capitals', { stageOptions: [{ name: 'Dev' }] }, 'stageOptions[0].name "Dev" is not allowed: it must start with a lowercase letter'],
    ['6 GB with 256 CPU units', stage({ cpu: 256, memory: 6144 }), 'stageOptions[1].memory 6144 is not allowed with stageOptions[1].cpu 256'],
    ['more minContainers than maxContainers', stage({ minContainers: 5, maxContainers: 2 }), 'stageOptions[1].minContainers (5) is greater than stageOptions[1].maxContainers (2)'],
    ['a reserved variable name', stage({ environment: { AWS_REGION: 'eu-west-1' } }), 'stageOptions[1].environment name "AWS_REGION" is not allowed'],
    ['a number as a value', stage({ environment: { PORT: 5 as any } }), 'stageOptions[1].environment.PORT 5 is not allowed: a value is a string'],
    ['a name in environment and secrets', stage({ environment: { DB: 'x' }, secrets: { DB: { ssmParameter: '/db' } } }), 'DB is both an environment variable and a secret of stage "production"'],
    ['a secret from both stores', stage({ secrets: { DB: { ssmParameter: '/db', secretsManager: 'db' } } }), 'stageOptions[1].secrets.DB {"ssmParameter":"/db","secretsManager":"db"} is not allowed: give exactly one of'],
    ['a jsonKey on a parameter', stage({ secrets: { DB: { ssmParameter: '/db', jsonKey: 'password' } } }), 'stageOptions[1].secrets.DB.jsonKey "password" is not allowed with ssmParameter'],
    ['an ARN of another service', stage({ secrets: { DB: { secretsManager: 'arn:aws:s3:::bucket' } } }), 'stageOptions[1].secrets.DB.secretsManager "arn:aws:s3:::bucket" is not allowed'],
    ['a parameter under /aws', stage({ secrets: { DB: { ssmParameter: '/aws/reference/x' } } }), 'stageOptions[1].secrets.DB.ssmParameter "/aws/reference/x" is not allowed'],
    ['a key alias for kmsKeyArn', stage({ secrets: { DB: { ssmParameter: '/db', kmsKeyArn: 'alias/orders' } } }), 'stageOptions[1].secrets.DB.kmsKeyArn "alias/orders" is not allowed'],
    ['a CIDR with host bits', stage({ egress: [{ port: 5432, cidr: '10.0.0.1/16' }] }), 'stageOptions[1].egress[0].cidr "10.0.0.1/16" is not allowed: its host bits are set; the network is "10.0.0.0/16"'],
    ['both a CIDR and a group', stage({ egress: [{ port: 5432, cidr: '10.0.0.0/16', securityGroupId: 'sg-0123456789abcdef0' }] }), 'stageOptions[1].egress[0] {"port":5432,"cidr":"10.0.0.0/16","securityGroupId":"sg-0123456789abcdef0"} is not allowed: give exactly one of'],
    ['a reversed port range', { egress: [{ port: 6000, toPort: 5000, cidr: '10.0.0.0/8' }] }, 'egress[0].toPort 5000 is not allowed: it must be a whole number from 6000 to 65535'],
    ['a network with one public subnet', stage({ network: { vpcId: 'vpc-0123456789abcdef0', publicSubnetIds: ['subnet-0123456789abcdef0'], privateSubnetIds: ['subnet-0123456789abcdef1'] } }), 'stageOptions[1].network.publicSubnetIds ["subnet-0123456789abcdef0"] is not allowed: give at least 2'],
    ['another account without a network', stage({ account: '123456789012', region: 'eu-west-1' }), 'stageOptions[1].account "123456789012" needs stageOptions[1].network'],
    ['a non-boolean approval', stage({ approval: 'yes' as any }), 'stageOptions[1].approval "yes" is not allowed: it must be true or false'],
    ['a strategy number that does not apply', stage({ deploymentStrategy: { type: 'ROLLING' as any, canaryPercent: 5 } }), 'stageOptions[1].deploymentStrategy'],
  ])('refuses %s, naming the option and the value', (_name, overrides, message) => {
    expect(refusal(overrides)).toContain(message);
  });

  it('refuses a bad secret given to the construct, naming the stage\'s path', () => {
    const stack = new Stack(new App(), 'Toolchain');
    expect(() => new CodeStarFargatePipeline(stack, 'Pipeline', {
      serviceName: 'orders-api',
      source: PipelineSource.connection({ connectionArn: 'arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d', owner: 'acme', repository: 'orders-api' }),
      stages: [{ name: 'dev' }, { name: 'production', secrets: { DB: { ssmParameter: 'aws/x' } } }],
    })).toThrow('stages[1].secrets.DB.ssmParameter "aws/x" is not allowed');
  });

  it('writes nothing when a stage is refused', () => {
    const options = serviceOptions(stage({ egress: [{ port: 0, cidr: '10.0.0.0/8' }] }));
    expect(() => new CodeStarFargateProject(options)).toThrow(/^stageOptions\[1\]\.egress\[0\]\.port 0 is not allowed/);
    expect(fs.readdirSync(options.outdir!)).toEqual([]);
  });
});

/** Property tests: what each message calls allowed is accepted; whatever is refused is named in the message. */
describe('stage option values, as properties', () => {
  const RUNS = { numRuns: 200 };
  const variableName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,254}$/).filter(name => !/^(AWS|ECS)_/i.test(name));

  it('accepts every variable name of letters, digits and _ not starting with a digit, AWS_ or ECS_, with any string value up to 4096 characters', () => {
    fc.assert(fc.property(variableName, fc.string({ maxLength: 4096 }).filter(value => !value.includes('\0')), (name, value) => {
      expect(refusal({ environment: { [name]: value } })).toBeUndefined();
    }), RUNS);
  });

  it('refuses every other variable name, naming it', () => {
    const badName = fc.oneof(
      fc.string({ minLength: 1 }).filter(name => !/^[A-Za-z_][A-Za-z0-9_]{0,254}$/.test(name)),
      fc.stringMatching(/^(AWS|ECS|aws|ecs)_[A-Z0-9_]{0,20}$/),
    );
    fc.assert(fc.property(badName, name => {
      expect(refusal({ environment: { [name]: 'x' } })).toContain(`environment name ${JSON.stringify(name)} is not allowed`);
    }), RUNS);
  });

  const octet = fc.integer({ min: 0, max: 255 });
  const ipv4 = fc.tuple(octet, octet, octet, octet);
  const toNumber = (octets: number[]) => octets.reduce((value, part) => value * 256 + part, 0);
  const toText = (value: number) => [24, 16, 8, 0].map(shift => Math.floor(value / 2 ** shift) % 256).join('.');

  it('accepts every IPv4 network in CIDR notation and every port from 1 to 65535', () => {
    fc.assert(fc.property(ipv4, fc.integer({ min: 0, max: 32 }), fc.integer({ min: 1, max: 65535 }), (address, prefix, port) => {
      const value = toNumber(address);
      const network = value - (prefix === 32 ? 0 : value % 2 ** (32 - prefix));
      expect(refusal({ egress: [{ port, cidr: `${toText(network)}/${prefix}` }] })).toBeUndefined();
    }), RUNS);
  });

  it('refuses a CIDR with host bits set or out-of-range parts, naming it', () => {
    const hostBits = fc.tuple(ipv4, fc.integer({ min: 0, max: 31 }))
      .filter(([address, prefix]) => toNumber(address) % 2 ** (32 - prefix) !== 0)
      .map(([address, prefix]) => `${address.join('.')}/${prefix}`);
    const malformed = fc.oneof(
      fc.tuple(ipv4, fc.integer({ min: 33, max: 99 })).map(([address, prefix]) => `${address.join('.')}/${prefix}`),
      fc.tuple(fc.integer({ min: 256, max: 999 }), octet).map(([high, low]) => `${high}.0.0.${low}/8`),
      fc.string().filter(text => !/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(text)),
    );
    fc.assert(fc.property(fc.oneof(hostBits, malformed), cidr => {
      expect(refusal({ egress: [{ port: 443, cidr }] })).toContain(`egress[0].cidr ${JSON.stringify(cidr)} is not allowed`);
    }), RUNS);
  });

  it('refuses every port that is not a whole number from 1 to 65535, naming it', () => {
    const fraction = fc.double({ noNaN: true }).filter(value => !Number.isInteger(value));
    const badPort = fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 65536 }), fraction);
    fc.assert(fc.property(badPort, port => {
      expect(refusal({ egress: [{ port, cidr: '10.0.0.0/8' }] })).toContain(`egress[0].port ${JSON.stringify(port)} is not allowed`);
    }), RUNS);
  });

  it('accepts every security group id of sg- and 8 or 17 hex digits, and refuses others naming them', () => {
    const hex = (length: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${length}}$`));
    fc.assert(fc.property(fc.oneof(hex(8), hex(17)), digits => {
      expect(refusal({ egress: [{ port: 5432, securityGroupId: `sg-${digits}` }] })).toBeUndefined();
    }), RUNS);
    fc.assert(fc.property(fc.string().filter(id => !/^sg-([0-9a-f]{8}|[0-9a-f]{17})$/.test(id)), id => {
      expect(refusal({ egress: [{ port: 5432, securityGroupId: id }] })).toContain(`egress[0].securityGroupId ${JSON.stringify(id)} is not allowed`);
    }), RUNS);
  });

  it('accepts every secret name of 1 to 512 allowed characters and every parameter name of slash-separated segments', () => {
    const secretName = fc.stringMatching(/^[A-Za-z0-9/_+=.@-]{1,512}$/).filter(name => !name.startsWith('arn:'));
    const parameterName = fc.stringMatching(/^\/?[A-Za-z0-9_.-]{1,20}(\/[A-Za-z0-9_.-]{1,20}){0,5}$/).filter(name => !/^\/?(aws|ssm)/i.test(name));
    fc.assert(fc.property(secretName, parameterName, (secretsManager, ssmParameter) => {
      expect(refusal({ secrets: { A: { secretsManager }, B: { ssmParameter } } })).toBeUndefined();
    }), RUNS);
  });

  it('refuses secret names with other characters, naming them', () => {
    fc.assert(fc.property(fc.string({ minLength: 1 }).filter(name => !/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(name)), name => {
      expect(refusal({ secrets: { A: { secretsManager: name } } })).toContain(`secrets.A.secretsManager ${JSON.stringify(name)} is not allowed`);
    }), RUNS);
  });

  it('accepts every Fargate size in a stage and refuses memory Fargate does not pair with the CPU', () => {
    const cpu = fc.constantFrom(256, 512, 1024, 2048, 4096, 8192, 16384);
    fc.assert(fc.property(cpu, fc.nat(), (units, pick) => {
      const options = fargateMemoryOptions(units);
      expect(refusal(stage({ cpu: units, memory: options[pick % options.length] }))).toBeUndefined();
      const refused = options[options.length - 1] + 1;
      expect(refusal(stage({ cpu: units, memory: refused }))).toContain(`stageOptions[1].memory ${refused} is not allowed with stageOptions[1].cpu ${units}`);
    }), { numRuns: 50 });
  });
});
