import { registrySchemas } from '../scripts/registry-schemas';

/**
 * CloudFormation's resource schemas as cfn-lint ships them (`data/schemas/providers/<region>.json` maps a type to
 * `resources/<hash>.json`), read to find the properties by which a template names another resource.
 */

type Schema = any;

const EU_WEST_1 = registrySchemas('eu-west-1');

/** The registry schema of a resource type, as in eu-west-1. */
export function resourceSchema(type: string): Schema {
  const schema = EU_WEST_1(type);
  if (!schema) {
    throw new Error(`cfn-lint has no schema for ${type} in eu-west-1`);
  }
  return schema;
}

/** A property whose value is an id, ARN or name of another resource (or of the resource itself, by name). */
export interface ReferenceProperty {
  readonly type: string;
  /** The property's path, `/` between levels and `[]` for list items, e.g. `NetworkConfiguration/AwsvpcConfiguration/Subnets`. */
  readonly path: string;
  /** cfn-lint's format for the value, e.g. `AWS::EC2::Subnet.Ids`, when the schema gives one. */
  readonly format?: string;
}

/**
 * Leaf names that hold another resource's id or ARN: AlarmActions are ARNs; Cluster, Role and TaskDefinition take
 * a name or ARN; PermissionsBoundary is a policy ARN; a secret's ValueFrom is its ARN.
 */
const REFERENCE_NAME = /(Arn|ARN|Arns|Id|Ids|Subnets|SecurityGroups|Actions|Cluster|Role|KmsKey|TaskDefinition|PermissionsBoundary|ValueFrom)$/;

/** Top-level names that say what the resource itself is called: set to production's, they name production's resource. */
const OWN_NAME = /(Name|^Family|^Path)$/;

/**
 * Every writable leaf property of `type` that names a resource: by a cfn-lint `format` of another type
 * (`AWS::EC2::SecurityGroup.Id`), a `relationshipRef`, a name ending like an id or ARN, or, at the top level,
 * the resource's own name. Read-only properties are left out: a template cannot set them.
 */
export function referenceProperties(type: string): ReferenceProperty[] {
  const schema = resourceSchema(type);
  const readOnly = new Set<string>((schema.readOnlyProperties ?? []).map((pointer: string) => pointer.replace(/^\/properties\//, '').replace(/\/\*/g, '[]')));
  const found = new Map<string, ReferenceProperty>();
  const definition = (node: Schema): Schema => (node?.$ref ? schema.definitions[node.$ref.split('/').pop()] : node);
  const walk = (node: Schema, prefix: string, depth: number, seen: Set<string>) => {
    for (const [name, declared] of Object.entries<Schema>(node?.properties ?? {})) {
      const refName = declared.$ref?.split('/').pop() ?? declared.items?.$ref?.split('/').pop();
      if (refName && seen.has(refName)) {
        continue;
      }
      const property = definition(declared);
      const items = definition(property.items);
      const propertyPath = `${prefix}${name}${property.type === 'array' ? '[]' : ''}`;
      const leaf = property.type === 'string' || (property.type === 'array' && (items?.type === 'string' || items?.format)) || (!property.type && !property.properties && !items);
      const format = property.format ?? items?.format;
      const related = property.relationshipRef ?? items?.relationshipRef;
      const names = REFERENCE_NAME.test(name) || (typeof format === 'string' && format.startsWith('AWS::')) || related || (depth === 0 && OWN_NAME.test(name));
      if (leaf && names && !readOnly.has(propertyPath.replace(/\[\]$/, ''))) {
        found.set(propertyPath, { type, path: propertyPath.replace(/\[\]$/, ''), ...(format ? { format } : {}) });
      }
      const next = new Set(seen);
      if (refName) {
        next.add(refName);
      }
      for (const child of [property, items, ...(property.oneOf ?? []), ...(property.anyOf ?? [])].map(definition).filter(Boolean)) {
        if (child.properties) {
          walk(child, `${propertyPath}/`, depth + 1, next);
        }
      }
    }
  };
  walk(schema, '', 0, new Set());
  return [...found.values()];
}
