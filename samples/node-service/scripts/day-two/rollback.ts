// Managed by projen-codestar-fargate: `npx projen rollback <stage>`; edit .projenrc.ts and run `npx projen` instead.
import { Parameter, UpdateStackCommand } from '@aws-sdk/client-cloudformation';
import { DescribeImagesCommand, ECRClient, ImageDetail } from '@aws-sdk/client-ecr';
import { DayTwoError, describeStack, explain, formatTime, ServiceConfig, StageConfig } from './aws';

export interface RollbackOptions {
  /** Confirms a rollback of a stage the pipeline guards with an approval. */
  readonly yes: boolean;
  readonly json: boolean;
}

/** What `rollback` asked CloudFormation to do; `--json` prints it. */
export interface RollbackResult {
  readonly stage: string;
  readonly stackName: string;
  readonly from: string;
  readonly to: string;
  /** The tag the pipeline gave the image when the stage ran it. */
  readonly deployedTag: string;
  readonly roleArn: string;
}

/** `<account>.dkr.ecr.<region>.amazonaws.com/<name>@sha256:<digest>`, as the pipeline deploys every image. */
const IMAGE_BY_DIGEST = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^@:]+)@(sha256:[0-9a-f]{64})$/;

/**
 * Redeploys the image the stage ran before its current one through the stage's own stack: the same template, every
 * parameter kept but the image, and the same deploy role the pipeline deploys with (the stack's RoleARN).
 */
export async function rollback(config: ServiceConfig, stage: StageConfig, options: RollbackOptions): Promise<number> {
  const cannot = (why: string) => new DayTwoError(`${stage.name}: cannot roll back ${stage.stackName}: ${why}`);
  if (stage.approvalRequired && !options.yes) {
    throw cannot(`the pipeline deploys ${stage.name} only after an approval; run npx projen rollback ${stage.name} --yes to confirm.`);
  }
  const { stack, cloudFormation } = await describeStack(stage);
  const status = stack.StackStatus ?? '';
  if (!/_COMPLETE$/.test(status) || /IN_PROGRESS|^ROLLBACK_COMPLETE$|^DELETE/.test(status)) {
    throw cannot(`it is ${status}; wait until it is CREATE_COMPLETE, UPDATE_COMPLETE or UPDATE_ROLLBACK_COMPLETE (npx projen status ${stage.name}).`);
  }
  if (!stack.RoleARN) {
    throw cannot('the stack has no deploy role (RoleARN), so the pipeline did not deploy it; deploy it through the pipeline first.');
  }
  const parameters = stack.Parameters ?? [];
  const current = parameters.find(parameter => parameter.ParameterKey === config.imageParameter)?.ParameterValue ?? '';
  const image = IMAGE_BY_DIGEST.exec(current);
  if (!image) {
    throw cannot(`its ${config.imageParameter} ${JSON.stringify(current)} is not an image by digest, as the pipeline deploys them.`);
  }
  const [, registryId, region, repositoryName, currentDigest] = image;
  const previous = await previousImage(stage, { registryId, region, repositoryName }, currentDigest).catch(error => {
    if (stage.account !== undefined && stage.account !== registryId) {
      // The repository policy lets the stage's account pull images, not list them.
      throw cannot(`the images ${stage.name} ran are recorded in the toolchain account's repository ${repositoryName} (${registryId}), which credentials of account ${stage.account} may not list; re-run the pipeline execution that deployed the image you want instead.`);
    }
    throw explain(error, stage.name);
  });
  if (!previous) {
    throw cannot(`the repository ${repositoryName} has no image the stage ran before ${currentDigest.slice(0, 19)} (it keeps the last three each stage ran, tagged ${stage.deployedTagPrefix}<execution>).`);
  }
  const to = `${current.split('@')[0]}@${previous.imageDigest}`;
  const deployedTag = previous.imageTags!.find(tag => tag.startsWith(stage.deployedTagPrefix))!;
  await cloudFormation.send(new UpdateStackCommand({
    StackName: stage.stackName,
    UsePreviousTemplate: true,
    RoleARN: stack.RoleARN,
    // The pipeline deploys with these: roles without names, and the template's macros.
    Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_AUTO_EXPAND'],
    Parameters: parameters.map((parameter): Parameter => (parameter.ParameterKey === config.imageParameter
      ? { ParameterKey: parameter.ParameterKey, ParameterValue: to }
      : { ParameterKey: parameter.ParameterKey, UsePreviousValue: true })),
  })).catch(error => {
    throw explain(error, stage.name);
  });
  const result: RollbackResult = { stage: stage.name, stackName: stage.stackName, from: current, to, deployedTag, roleArn: stack.RoleARN };
  if (options.json) {
    console.log(JSON.stringify(result, null, 2));
  } else {
    console.log(`${stage.name}: rolling ${stage.stackName} back from ${currentDigest.slice(0, 19)} to ${previous.imageDigest!.slice(0, 19)} (${deployedTag}, pushed ${formatTime(previous.imagePushedAt)}) with its deploy role ${stack.RoleARN}.`);
    console.log(`Follow it with npx projen status ${stage.name}; the pipeline's next run deploys its own image again.`);
  }
  return 0;
}

interface Repository {
  readonly registryId: string;
  readonly region: string;
  readonly repositoryName: string;
}

/**
 * The newest image, by push time, that carries one of the stage's deployed tags and was pushed before the one it
 * runs now: the stage ran it before, and after a rollback, the one before that.
 */
async function previousImage(stage: StageConfig, repository: Repository, currentDigest: string): Promise<ImageDetail | undefined> {
  const ecr = new ECRClient({ region: repository.region });
  const images: ImageDetail[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ecr.send(new DescribeImagesCommand({
      registryId: repository.registryId,
      repositoryName: repository.repositoryName,
      filter: { tagStatus: 'TAGGED' },
      nextToken,
    }));
    images.push(...page.imageDetails ?? []);
    nextToken = page.nextToken;
  } while (nextToken);
  const ran = images.filter(detail => detail.imageTags?.some(tag => tag.startsWith(stage.deployedTagPrefix)));
  const current = images.find(detail => detail.imageDigest === currentDigest);
  const pushedAt = (detail: ImageDetail) => new Date(detail.imagePushedAt ?? 0).getTime();
  if (!current) {
    return undefined;
  }
  return ran
    .filter(detail => detail.imageDigest !== currentDigest && pushedAt(detail) < pushedAt(current))
    .sort((a, b) => pushedAt(b) - pushedAt(a))[0];
}