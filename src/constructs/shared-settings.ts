import { Annotations, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { stagesNamedBy } from '../shared-settings';
import type { CodeStarFargatePipelineProps, PipelineStage } from './pipeline-props';

/** The resources a statement names, as written; tokens (resolved only at deploy) say nothing about a stage. */
function namedResources(statement: iam.PolicyStatement): string[] {
  return [...statement.resources, ...statement.notResources].filter(resource => !Token.isUnresolved(resource));
}

/**
 * Warnings `cdk synth` shows for settings that reach a stage they do not look meant for: the pipeline's
 * `taskPermissions` naming a resource that looks like one stage's (every stage's boundary gets them), and a
 * stage's own `taskPermissions` or `secrets` naming another stage's.
 */
export function warnAboutSharedSettings(scope: Construct, props: CodeStarFargatePipelineProps, stages: PipelineStage[]): void {
  const names = stages.map(stage => stage.name);
  (props.taskPermissions ?? []).forEach((statement, index) => {
    for (const resource of namedResources(statement)) {
      for (const owner of stagesNamedBy(resource, names)) {
        const others = names.filter(name => name !== owner).map(name => `"${name}"`);
        if (others.length > 0) {
          Annotations.of(scope).addWarningV2('projen-codestar-fargate:shared-setting-names-a-stage',
            `taskPermissions[${index}] names ${JSON.stringify(resource)}, which looks like stage "${owner}"'s, and the pipeline's taskPermissions go into every stage's boundary: stage ${others.join(' and ')} may use it too; give it in that stage's own taskPermissions instead (docs/security.md).`);
        }
      }
    }
  });
  stages.forEach((stage, index) => {
    const named = [
      ...(stage.taskPermissions ?? []).flatMap((statement, statementIndex) => namedResources(statement).map(resource => [`taskPermissions[${statementIndex}]`, resource])),
      ...Object.entries(stage.secrets ?? {}).map(([variable, secret]) => [`secrets.${variable}`, secret.secretsManager ?? secret.ssmParameter ?? '']),
    ];
    for (const [option, resource] of named) {
      const others = stagesNamedBy(resource, names).filter(owner => owner !== stage.name);
      if (others.length > 0 && stagesNamedBy(resource, [stage.name]).length === 0) {
        Annotations.of(scope).addWarningV2('projen-codestar-fargate:stage-setting-names-another-stage',
          `stages[${index}].${option} names ${JSON.stringify(resource)}, which looks like stage "${others[0]}"'s, and stage "${stage.name}" would reach it.`);
      }
    }
  });
}
