import { App } from 'aws-cdk-lib';
import { CodeStarFargatePlatform, CodeStarFargatePlatformProps, TaskSubnets } from '../src';
import { OptionError } from '../src/errors';
import { resolvePlatformSettings } from '../src/platform/platform-validation';

const ZONE = { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' };
const NETWORK = {
  vpcId: 'vpc-0123456789abcdef0',
  vpcCidrBlock: '10.20.0.0/16',
  publicSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
  privateSubnetIds: ['subnet-0123456789abcdef2'],
};

function props(overrides: Partial<CodeStarFargatePlatformProps> = {}): CodeStarFargatePlatformProps {
  return { platformName: 'acme', stages: [{ name: 'dev' }, { name: 'production' }], ...overrides };
}

const refusal = (given: unknown) => () => resolvePlatformSettings(given as CodeStarFargatePlatformProps);

describe('the platform\'s props', () => {
  it('resolves the defaults: private task subnets, one NAT gateway, internet-facing, no domain, no services', () => {
    expect(resolvePlatformSettings(props())).toEqual({
      platformName: 'acme',
      stages: [
        { name: 'dev', natGateways: 1, taskSubnets: TaskSubnets.PRIVATE, internetFacing: true },
        { name: 'production', natGateways: 1, taskSubnets: TaskSubnets.PRIVATE, internetFacing: true },
      ],
      services: [],
    });
  });

  it('gives production the zone\'s own name and other stages <stage>.<zone>', () => {
    const settings = resolvePlatformSettings(props({ stages: [{ name: 'dev', hostedZone: ZONE }, { name: 'prod', hostedZone: ZONE }] }));
    expect(settings.stages.map(stage => stage.domain?.domainName)).toEqual(['dev.example.com', 'example.com']);
  });

  it.each([
    ['ACME', 'platformName "ACME" is not allowed: it must start with a lowercase letter, end with a letter or digit, and contain only lowercase letters, digits and single hyphens, 2 to 21 characters (with "-production", the same limit as a service name), e.g. "acme".'],
    ['a--b', 'platformName "a--b" is not allowed'],
    ['a', 'platformName "a" is not allowed'],
    ['a-very-long-platform-name', 'platformName "a-very-long-platform-name" is not allowed'],
    [undefined, 'platformName undefined is not allowed'],
  ])('refuses the platform name %j', (platformName, message) => {
    expect(refusal(props({ platformName: platformName as string }))).toThrow(message);
  });

  it.each([
    [[], 'stages [] is not allowed: give at least one stage, e.g. [{ name: "dev" }, { name: "production" }].'],
    [[{ name: 'Dev' }], 'stages[0].name "Dev" is not allowed: it must start with a lowercase letter and contain only lowercase letters and digits (at most 16 characters), e.g. "dev" or "production".'],
    [[{ name: 'dev' }, { name: 'dev' }], 'stages ["dev","dev"] is not allowed: stage names must be unique, and "dev" appears more than once.'],
    [['dev'], 'stages[0] "dev" is not allowed: give an object, e.g. { name: "dev" }.'],
    [[{ name: 'dev', natGateway: 1 }], 'stages[0].natGateway is not allowed: a platform stage\'s fields are name, network, natGateways, taskSubnets, hostedZone, domainName, internetFacing, testTrafficCidr.'],
  ])('refuses the stages %j', (stages, message) => {
    expect(refusal(props({ stages: stages as any }))).toThrow(message);
  });

  it.each([
    [{ name: 'dev', natGateways: 3 }, 'stages[0].natGateways 3 is not allowed: it must be a whole number from 0 to 2.'],
    [{ name: 'dev', natGateways: 0 }, 'stages[0].natGateways 0 is not allowed with taskSubnets TaskSubnets.PRIVATE: tasks in private subnets pull their image and send their logs through a NAT gateway; use 1 or 2, or taskSubnets TaskSubnets.PUBLIC for a network without NAT.'],
    [{ name: 'dev', natGateways: 1, taskSubnets: TaskSubnets.PUBLIC }, 'stages[0].natGateways 1 is not allowed with taskSubnets TaskSubnets.PUBLIC'],
    [{ name: 'dev', natGateways: 1, network: NETWORK }, 'stages[0].natGateways 1 is not allowed with stages[0].network: an existing network\'s NAT gateways are its own; leave natGateways out.'],
    [{ name: 'dev', taskSubnets: 'PRIVATE_ISOLATED' }, 'stages[0].taskSubnets "PRIVATE_ISOLATED" is not allowed: use TaskSubnets.PRIVATE or TaskSubnets.PUBLIC.'],
    [{ name: 'dev', internetFacing: 'yes' }, 'stages[0].internetFacing "yes" is not allowed'],
    [{ name: 'dev', testTrafficCidr: '10.0.0.1/8' }, 'stages[0].testTrafficCidr "10.0.0.1/8" is not allowed: its host bits are set; the network is "10.0.0.0/8".'],
    [{ name: 'dev', domainName: 'dev.example.com' }, 'stages[0].domainName "dev.example.com" is not allowed without stages[0].hostedZone: give hostedZone: { hostedZoneId, zoneName } for the zone the name is in.'],
    [{ name: 'dev', hostedZone: { ...ZONE, hostedZoneId: 'z123' } }, 'stages[0].hostedZone.hostedZoneId "z123" is not allowed: it must be a Route 53 hosted zone id'],
    [{ name: 'dev', hostedZone: { ...ZONE, zoneName: 'example.com.' } }, 'stages[0].hostedZone.zoneName "example.com." is not allowed'],
    [{ name: 'dev', hostedZone: ZONE, domainName: 'dev.example.org' }, 'stages[0].domainName "dev.example.org" is not allowed in stage "dev": it must be the hosted zone\'s name or a name inside it "example.com"'],
    [{ name: 'dev', hostedZone: { ...ZONE, zoneName: `${'a'.repeat(47)}.example.com` } }, `its wildcard certificate "*.dev.${'a'.repeat(47)}.example.com" has 65 characters, and an ACM certificate's domain name may have at most 64.`],
    [{ name: 'dev', network: { ...NETWORK, vpcId: 'vpc-1' } }, 'stages[0].network.vpcId "vpc-1" is not allowed: it must be a VPC id, "vpc-" and 8 or 17 lowercase hex digits, e.g. "vpc-0123456789abcdef0".'],
    [{ name: 'dev', network: { ...NETWORK, vpcCidrBlock: '10.20.0.0' } }, 'stages[0].network.vpcCidrBlock "10.20.0.0" is not allowed: it must be an IPv4 CIDR block'],
    [{ name: 'dev', network: { ...NETWORK, publicSubnetIds: ['subnet-0123456789abcdef0'] } }, 'stages[0].network.publicSubnetIds ["subnet-0123456789abcdef0"] is not allowed: give at least 2 distinct subnet ids ("subnet-" and 8 or 17 lowercase hex digits) for the load balancer, in two or more Availability Zones.'],
    [{ name: 'dev', network: { ...NETWORK, privateSubnetIds: [] } }, 'stages[0].network.privateSubnetIds [] is not allowed: give at least 1 distinct subnet ids'],
    [{ name: 'dev', network: { ...NETWORK, privateSubnetIds: ['subnet-0123456789abcdef0'] } }, 'stages[0].network.privateSubnetIds ["subnet-0123456789abcdef0"] is not allowed: "subnet-0123456789abcdef0" is in publicSubnetIds too; a subnet is public or private.'],
  ])('refuses the stage %j', (stage, message) => {
    expect(refusal(props({ stages: [stage as any] }))).toThrow(message);
  });

  it('accepts an existing network without private subnets where the tasks run in public ones', () => {
    const settings = resolvePlatformSettings(props({ stages: [{ name: 'dev', network: { ...NETWORK, privateSubnetIds: [] }, taskSubnets: TaskSubnets.PUBLIC }] }));
    expect(settings.stages[0]).toEqual(expect.objectContaining({ natGateways: 0, taskSubnets: TaskSubnets.PUBLIC }));
  });

  it('refuses two stages with one domain', () => {
    expect(refusal(props({ stages: [{ name: 'dev', hostedZone: ZONE, domainName: 'x.example.com' }, { name: 'test', hostedZone: ZONE, domainName: 'x.example.com' }] })))
      .toThrow('stages: the domain "x.example.com" is given to more than one stage: each stage needs its own (its wildcard record and certificate), e.g. set domainName on one of them.');
  });

  it.each([
    [[{ name: 'orders-api', rulePriority: 0 }], 'services[0].rulePriority 0 is not allowed: it must be a whole number from 1 to 50000 (an Application Load Balancer listener rule priority).'],
    [[{ name: 'orders-api', rulePriority: 50001 }], 'services[0].rulePriority 50001 is not allowed: it must be a whole number from 1 to 50000'],
    [[{ name: 'orders-api', rulePriority: 1.5 }], 'services[0].rulePriority 1.5 is not allowed'],
    [[{ name: 'orders-api' }], 'services[0].rulePriority undefined is not allowed'],
    [[{ name: 'Orders', rulePriority: 1 }], 'services[0].name "Orders" is not allowed: it must be a service\'s serviceName, lowercase letters, digits and single hyphens, a letter first and a letter or digit last, 2 to 30 characters, e.g. "orders-api".'],
    [[{ name: 'orders-api', rulePriority: 1, priority: 2 }], 'services[0].priority is not allowed: a platform service\'s fields are name, rulePriority.'],
    [[{ name: 'orders-api', rulePriority: 10 }, { name: 'orders-api', rulePriority: 20 }], 'services[1].name "orders-api" is not allowed: services[0] has that name already; each service joins "acme" once.'],
    [[{ name: 'orders-api', rulePriority: 10 }, { name: 'billing', rulePriority: 10 }], 'services[1].rulePriority 10 is not allowed: services[0] ("orders-api") has it; priorities are unique on the platform, because the load balancer refuses a second rule at the same priority. Give "billing" a priority nobody has had.'],
    [{ name: 'orders-api' }, 'services {"name":"orders-api"} is not allowed: give a list of { name, rulePriority }, e.g. [{ name: "orders-api", rulePriority: 100 }].'],
  ])('refuses the services %j', (services, message) => {
    expect(refusal(props({ services: services as any }))).toThrow(message);
  });

  it('refuses with an OptionError, and the construct creates no stack', () => {
    expect(refusal(props({ platformName: 'ACME' }))).toThrow(OptionError);
    const app = new App();
    expect(() => new CodeStarFargatePlatform(app, 'Platform', props({ services: [{ name: 'x', rulePriority: 1 }] }))).toThrow('services[0].name "x" is not allowed');
    expect(app.node.findAll().filter(construct => construct.node.id === 'dev')).toEqual([]);
  });
});
