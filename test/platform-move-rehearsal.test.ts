import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Project, Testing } from 'projen';
import { parse } from 'yaml';
import { orderApiSettings } from './helpers';
import { Json, PIPELINE_PARAMETERS, replacements, resourcesAsDeployed } from './template-rehearsal';
import { ServiceTemplate } from '../src/components/service-template';
import { PlatformTemplateParameter, TemplateParameter } from '../src/contract';
import { ServiceSettings } from '../src/options';

/**
 * Moving a deployed stage onto a platform, and back, rehearsed as CloudFormation would apply the template change
 * (test/template-rehearsal.ts): what the stack deletes, creates and replaces. docs/moving-to-a-platform.md ("What the
 * template change replaces") states these findings.
 */

const P = PlatformTemplateParameter;

function templateOf(settings: ServiceSettings): Json {
  const project = new Project({ name: 'rehearsal', outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'platform-move-')) });
  new ServiceTemplate(project, {
    settings,
    healthCheck: { gracePeriodSeconds: 60, deregistrationDelaySeconds: 30, startPeriodSeconds: 45, containerHealthCheckCommand: () => 'curl -fs http://127.0.0.1:8080/health || exit 1' },
  });
  return parse(Testing.synth(project)['template.yml']);
}

/** The values CloudFormation reads from the platform's SSM parameters: another VPC, its own cluster and listeners. */
const PLATFORM_VALUES: Record<string, string> = {
  [P.VPC_ID]: 'vpc-0fedcba9876543210',
  [P.SERVICE_SUBNET_IDS]: 'subnet-0fedcba9876543210,subnet-0fedcba9876543211',
  [P.ASSIGN_PUBLIC_IP]: 'DISABLED',
  [P.CLUSTER_NAME]: 'acme-dev',
  [P.LOAD_BALANCER_FULL_NAME]: 'app/acme-dev/0123456789abcdef',
  [P.LOAD_BALANCER_SECURITY_GROUP_ID]: 'sg-0fedcba9876543210',
  [P.PRODUCTION_LISTENER_ARN]: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/acme-dev/0123456789abcdef/0123456789abcdef',
  [P.TEST_LISTENER_ARN]: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/acme-dev/0123456789abcdef/fedcba9876543210',
  [P.URL_SCHEME]: 'https',
  [P.DOMAIN_NAME]: 'dev.acme.example.com',
  [P.RULE_PRIORITY]: '10',
};

/**
 * What the move replaces. The service and the scaling policy have fixed names, and CloudFormation refuses to replace a
 * custom-named resource ("cannot update a stack when a custom-named resource requires replacing"): the update fails.
 */
const REPLACED_ONTO = [
  { id: 'ServiceSecurityGroup', cause: 'VpcId' },
  { id: 'ServiceSecurityGroupIngressFromLoadBalancer', cause: 'SourceSecurityGroupId' },
  { id: 'TargetGroup', cause: 'VpcId' },
  { id: 'Service', cause: 'Cluster', blocker: 'fixed ServiceName' },
  { id: 'ScalableTarget', cause: 'ResourceId' },
  { id: 'CpuScalingPolicy', cause: 'via ScalableTarget', blocker: 'fixed PolicyName' },
];

const isolated = resourcesAsDeployed(templateOf(orderApiSettings()), PIPELINE_PARAMETERS);
const onPlatform = resourcesAsDeployed(templateOf(orderApiSettings({ platformName: 'acme' })), { ...PIPELINE_PARAMETERS, ...PLATFORM_VALUES });

/** What the update does: resources only before are deleted, only after created, and kept ones possibly replaced. */
function change(before: Record<string, Json>, after: Record<string, Json>) {
  return {
    deleted: Object.keys(before).filter(id => after[id]?.Type !== before[id].Type).sort(),
    created: Object.keys(after).filter(id => before[id]?.Type !== after[id].Type).sort(),
    replaced: replacements(before, after).map(({ id, cause, blocker }) => ({ id, cause, ...(blocker ? { blocker } : {}) })),
  };
}

describe('moving a stage onto a platform', () => {
  const onto = change(isolated, onPlatform);

  it('deletes the stage\'s own cluster, load balancer, its security group and listeners, and with them its DNS name', () => {
    expect(onto.deleted).toEqual(['Cluster', 'HttpListener', 'HttpsListenerReady', 'LoadBalancer', 'LoadBalancerSecurityGroup']);
  });

  it('creates the service\'s own rule on the platform\'s production listener', () => {
    expect(onto.created).toEqual(['ProductionListenerRule']);
  });

  it('replaces the tasks\' security group and target group (another VPC) and the service (another cluster), which its fixed name refuses', () => {
    expect(onto.replaced).toEqual(REPLACED_ONTO);
  });
});

describe('moving a stage with its own domain onto a platform', () => {
  const withDomain = resourcesAsDeployed(templateOf(orderApiSettings()), {
    ...PIPELINE_PARAMETERS,
    [TemplateParameter.DOMAIN_NAME]: 'dev.orders-api.example.com',
    [TemplateParameter.HOSTED_ZONE_ID]: 'Z0123456789ABCDEFGHIJ',
  });

  it('also deletes its certificate, alias record and HTTPS listener: the platform\'s wildcard ones serve it', () => {
    expect(change(withDomain, onPlatform).deleted).toEqual(['Certificate', 'Cluster', 'DomainRecord', 'HttpListener', 'HttpsListener', 'HttpsListenerReady', 'LoadBalancer', 'LoadBalancerSecurityGroup']);
  });
});

describe('moving a stage back to its own environment', () => {
  const back = change(onPlatform, isolated);

  it('creates a new load balancer, whose DNS name is new, and deletes the rule on the platform', () => {
    expect(back.created).toEqual(['Cluster', 'HttpListener', 'HttpsListenerReady', 'LoadBalancer', 'LoadBalancerSecurityGroup']);
    expect(back.deleted).toEqual(['ProductionListenerRule']);
  });

  it('replaces the same resources the other way, the service and scaling policy again refused for their fixed names', () => {
    const byId = (list: Array<{ id: string }>) => [...list].sort((a, b) => a.id.localeCompare(b.id));
    expect(byId(back.replaced)).toEqual(byId(REPLACED_ONTO));
  });
});

