import { TemplateParameter, STAGE_TAG } from '../contract';
import { ServiceSettings } from '../options';

/** The small vocabulary template.yml's parts are written in: long-form intrinsics, which YamlFile can write. */

export type Json = Record<string, unknown>;

export function ref(name: string): Json {
  return { Ref: name };
}

export function sub(text: string): Json {
  return { 'Fn::Sub': text };
}

export function getAtt(resource: string, attribute: string): Json {
  return { 'Fn::GetAtt': [resource, attribute] };
}

/** Metadata that tells checkov why a finding does not apply; the reason ships in the template. */
export function checkovSkip(id: string, comment: string): Json {
  return { checkov: { skip: [{ id, comment }] } };
}

/** `${Stage}` inside a `Fn::Sub` string. */
export const STAGE_VARIABLE = `\${${TemplateParameter.STAGE}}`;

/** `<serviceName>-<Stage>`: the cluster and load balancer name, unique per stage in an account. */
export function nameWithStage(settings: ServiceSettings): Json {
  return sub(`${settings.serviceName}-${STAGE_VARIABLE}`);
}

/** The tags that scope the deploy role's permissions on resources whose names are generated. */
export function stageTags(settings: ServiceSettings): Json[] {
  return [
    { Key: STAGE_TAG.service, Value: settings.serviceName },
    { Key: STAGE_TAG.stage, Value: ref(TemplateParameter.STAGE) },
  ];
}

/**
 * `section` with its keys in `order` (the order release 1.x wrote them, so an upgrade rewrites no line of a user's
 * template.yml); a key not in `order` stays right after the key inserted before it.
 */
export function inOrder(order: readonly string[], section: Json): Json {
  const groups: Array<{ rank: number; keys: string[] }> = [];
  for (const key of Object.keys(section)) {
    const rank = order.indexOf(key);
    if (rank >= 0 || groups.length === 0) {
      groups.push({ rank: rank >= 0 ? rank : -1, keys: [key] });
    } else {
      groups[groups.length - 1].keys.push(key);
    }
  }
  const sorted = groups.map((group, index) => ({ ...group, index })).sort((a, b) => (a.rank - b.rank) || (a.index - b.index));
  return Object.fromEntries(sorted.flatMap(group => group.keys).map(key => [key, section[key]]));
}
