import { SecretReference, StageSettings } from './options';

/**
 * A setting given once for every stage reaches dev as well as production: a project-wide secret is read by every
 * stage's tasks, pipeline-wide task permissions sit in every stage's boundary. These rules spot a shared setting
 * (or another stage's own) that names a resource which looks like one stage's, so synth can warn about it.
 */

/** The stages whose name appears in `value` as a whole word (between non-alphanumerics), in any case. */
export function stagesNamedBy(value: string, stageNames: string[]): string[] {
  const lower = value.toLowerCase();
  return stageNames.filter(stage => new RegExp(`(^|[^a-z0-9])${stage}([^a-z0-9]|$)`).test(lower));
}

/** Where each stage's secrets and task permissions are given, for the warnings to name. */
const PER_STAGE_ADVICE = 'give it in that stage\'s own settings instead (docs/security.md, "Shared settings are shared with dev")';

/**
 * Warnings for the project's `secrets` that look like one stage's and that other stages receive too (a stage
 * that gives its own secret under the same name does not); and for a stage's own secret that looks like another's.
 */
export function secretWarnings(shared: { [name: string]: SecretReference } | undefined, stages: StageSettings[]): string[] {
  const names = stages.map(stage => stage.name);
  const warnings: string[] = [];
  for (const [variable, reference] of Object.entries(shared ?? {})) {
    const id = reference.secretsManager ?? reference.ssmParameter ?? '';
    for (const owner of stagesNamedBy(id, names)) {
      const reached = stages.filter(stage => stage.name !== owner && stage.secrets[variable]?.id === id).map(stage => `"${stage.name}"`);
      if (reached.length > 0) {
        warnings.push(`secrets.${variable} ${JSON.stringify(id)} looks like stage "${owner}"'s, and the project's secrets reach every stage: stage ${reached.join(' and ')} can read it too; ${PER_STAGE_ADVICE}.`);
      }
    }
  }
  stages.forEach((stage, index) => {
    for (const [variable, secret] of Object.entries(stage.secrets)) {
      const isShared = shared?.[variable] !== undefined && (shared[variable].secretsManager ?? shared[variable].ssmParameter) === secret.id;
      const others = stagesNamedBy(secret.id, names).filter(owner => owner !== stage.name);
      if (!isShared && others.length > 0 && stagesNamedBy(secret.id, [stage.name]).length === 0) {
        warnings.push(`stageOptions[${index}].secrets.${variable} ${JSON.stringify(secret.id)} looks like stage "${others[0]}"'s, and stage "${stage.name}" would read it.`);
      }
    }
  });
  return warnings;
}
