import { TemplateParameter } from '../contract';
import { ServiceSettings, StageSettings } from '../options';
import { ArnScope, secretAccess, secretAccessStatements, secretValueFrom } from '../secret-access';

type Json = Record<string, unknown>;

const NO_VALUE = { Ref: 'AWS::NoValue' };

/** ARNs inside `Fn::Sub`: the stack's own partition, region and account. */
const STACK_SCOPE: ArnScope = { partition: '${AWS::Partition}', region: '${AWS::Region}', account: '${AWS::AccountId}' };

/**
 * The per-stage parts of template.yml: one condition per stage that needs
 * one (`Is<Stage>Stage`), recorded as they are used so the template declares
 * no condition it does not use. A value every stage shares is written once.
 */
export class StageSwitch {
  private readonly used = new Set<string>();

  constructor(private readonly settings: ServiceSettings) {}

  /** The conditions the template used, in stage order. */
  public conditions(): Json {
    const conditions: Json = {};
    for (const stage of this.settings.stages.filter(name => this.used.has(name))) {
      conditions[conditionName(stage)] = { 'Fn::Equals': [{ Ref: TemplateParameter.STAGE }, stage] };
    }
    return conditions;
  }

  /** The value each stage gets: written once when all agree, else chosen by `Fn::If`; `undefined` becomes no value. */
  public choose(valueOf: (stage: StageSettings) => unknown): unknown {
    const stages = this.settings.stageSettings;
    const values = stages.map(stage => valueOf(stage) ?? NO_VALUE);
    if (values.every(value => JSON.stringify(value) === JSON.stringify(values[0]))) {
      return values[0];
    }
    // The last stage is the fallback of the chain, so it needs no condition.
    return stages.slice(0, -1).reduceRight<unknown>(
      (otherwise, stage, index) => ({ 'Fn::If': [this.use(stage.name), values[index], otherwise] }),
      values[values.length - 1],
    );
  }

  /** List items: those of every stage written plainly, the others each under its stage's condition. */
  public items(itemsOf: (stage: StageSettings) => Json[]): unknown[] {
    const { shared, own } = this.split(itemsOf);
    return [...shared, ...own.map(({ condition, item }) => ({ 'Fn::If': [condition, item, NO_VALUE] }))];
  }

  /** Items every stage has, and each stage's others with the condition that selects the stage. */
  public split(itemsOf: (stage: StageSettings) => Json[]): { shared: Json[]; own: Array<{ stage: string; condition: string; item: Json }> } {
    const stages = this.settings.stageSettings;
    const keyed = stages.map(stage => itemsOf(stage).map(item => ({ item, key: JSON.stringify(item) })));
    const shared = keyed[0].filter(({ key }) => keyed.every(items => items.some(other => other.key === key)));
    const sharedKeys = new Set(shared.map(({ key }) => key));
    return {
      shared: shared.map(({ item }) => item),
      own: stages.flatMap((stage, index) => keyed[index]
        .filter(({ key }) => !sharedKeys.has(key))
        .map(({ item }) => ({ stage: stage.name, condition: this.use(stage.name), item }))),
    };
  }

  private use(stage: string): string {
    this.used.add(stage);
    return conditionName(stage);
  }
}

/** `IsProductionStage` for `production`; stage names are lowercase letters and digits, so these are unique. */
export function conditionName(stage: string): string {
  return `Is${stage.charAt(0).toUpperCase()}${stage.slice(1)}Stage`;
}

/** The stage's task size and scaling target, for the StageSettings mapping. */
export function stageSizeSettings(stage: StageSettings): Json {
  return { Cpu: String(stage.cpu), Memory: String(stage.memoryMib), AutoScalingTargetCpu: stage.autoScalingTargetCpu };
}

/** Whether the stages differ in size or scaling target, so the template must look them up per stage. */
export function sizesDiffer(settings: ServiceSettings): boolean {
  const sizes = settings.stageSettings.map(stage => JSON.stringify(stageSizeSettings(stage)));
  return sizes.some(size => size !== sizes[0]);
}

/** The container's `Environment` and `Secrets`, sorted by name, per stage. */
export function containerVariables(stages: StageSwitch): Json {
  const environment = stages.choose(stage => nonEmpty(Object.keys(stage.environment).sort()
    .map(name => ({ Name: name, Value: stage.environment[name] }))));
  const secrets = stages.choose(stage => nonEmpty(Object.keys(stage.secrets).sort().map(name => ({
    Name: name,
    ValueFrom: subIfNeeded(secretValueFrom(stage.secrets[name], STACK_SCOPE)),
  }))));
  return {
    ...(JSON.stringify(environment) === JSON.stringify(NO_VALUE) ? {} : { Environment: environment }),
    ...(JSON.stringify(secrets) === JSON.stringify(NO_VALUE) ? {} : { Secrets: secrets }),
  };
}

/**
 * The execution role's policy that lets ECS read the stage's secrets when a
 * task starts, in that stage's stack only; none when no stage has secrets.
 */
export function secretReadingPolicies(stages: StageSwitch): unknown[] {
  return stages.items(stage => {
    const statements = secretAccessStatements(secretAccess(stage.secrets, STACK_SCOPE)).map(subResources);
    return statements.length === 0 ? [] : [{ PolicyName: 'ReadStageSecrets', PolicyDocument: { Version: '2012-10-17', Statement: statements } }];
  });
}

/**
 * The tasks' egress beyond HTTPS: rules of every stage in the security group, each stage's own as separate
 * rules under its condition (so checkov and the console see each rule's description).
 */
export function stageEgress(stages: StageSwitch, groupId: unknown): { rules: Json[]; resources: Json } {
  const { shared, own } = stages.split(egressRules);
  const resources: Json = {};
  own.forEach(({ stage, condition, item }, index) => {
    resources[`ServiceEgress${condition.slice(2, -'Stage'.length)}${index}`] = {
      Type: 'AWS::EC2::SecurityGroupEgress',
      Condition: condition,
      Properties: { GroupId: groupId, ...item, Description: `${item.Description} (${stage})` },
    };
  });
  return { rules: shared, resources };
}

function egressRules(stage: StageSettings): Json[] {
  return stage.egress.map(rule => {
    const toPort = rule.toPort ?? rule.port;
    const ports = toPort === rule.port ? `${rule.port}` : `${rule.port}-${toPort}`;
    const destination = rule.cidr !== undefined ? { CidrIp: rule.cidr } : { DestinationSecurityGroupId: rule.securityGroupId };
    return {
      IpProtocol: 'tcp',
      FromPort: rule.port,
      ToPort: toPort,
      ...destination,
      Description: rule.description ?? `TCP ${ports} to ${rule.cidr ?? rule.securityGroupId}`,
    };
  });
}

function nonEmpty<T>(list: T[]): T[] | undefined {
  return list.length > 0 ? list : undefined;
}

/** A statement's ARNs through `Fn::Sub`, which fills in `${AWS::Region}` and friends. */
function subResources(statement: Record<string, unknown>): Json {
  const resources = statement.Resource as string[];
  const condition = statement.Condition as { StringEquals: { 'kms:ViaService': string[] } } | undefined;
  return {
    ...statement,
    Resource: resources.map(subIfNeeded),
    ...(condition ? { Condition: { StringEquals: { 'kms:ViaService': condition.StringEquals['kms:ViaService'].map(subIfNeeded) } } } : {}),
  };
}

/** `Fn::Sub` only where there is something to fill in (cfn-lint W1020). */
function subIfNeeded(text: string): unknown {
  return text.includes('${') ? { 'Fn::Sub': text } : text;
}
