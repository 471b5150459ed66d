# Managed by projen-codestar-fargate: the stage guard runs this before each deploy of every stage.
# The deploy role may create roles under the stage's role path, and IAM has no condition key on a CreateRole's trust
# policy (iam:PassedToService is for PassRole only): this refuses a template.yml whose role another principal could assume.
# Usage: python3 role-trust-check.py <template.yml>
# Inputs (environment): TRUSTED_ROLE_SERVICES (comma-separated: the only service principals a role may trust).
import os
import sys

import yaml

from cfn_template import load, report



# What a trust statement may hold besides its principal: conditions only narrow who assumes the role.
STATEMENT_KEYS = {'Sid', 'Effect', 'Principal', 'Action', 'Condition'}


def one_or_many(value):
    return value if isinstance(value, list) else [value]


def statement_refusals(logical_id, index, statement, trusted):
    where = f'role {logical_id}, trust statement {index + 1}'
    if not isinstance(statement, dict):
        return [f'{where} is {statement!r}: only a mapping this check can read']
    found = [f'{where} has {key}: only {", ".join(sorted(STATEMENT_KEYS))}' for key in sorted(set(statement) - STATEMENT_KEYS)]
    if statement.get('Effect') != 'Allow':
        found.append(f'{where} has Effect {statement.get("Effect")!r}: only Allow')
    if one_or_many(statement.get('Action')) != ['sts:AssumeRole']:
        found.append(f'{where} has Action {statement.get("Action")!r}: only sts:AssumeRole')
    principal = statement.get('Principal')
    if not isinstance(principal, dict) or set(principal) != {'Service'}:
        found.append(f'{where} trusts {principal!r}: only the Service principals {", ".join(trusted)}')
        return found
    for service in one_or_many(principal['Service']):
        if not isinstance(service, str):
            found.append(f'{where} trusts Service {service!r}, which only CloudFormation can resolve: only {", ".join(trusted)}, written out')
        elif service not in trusted:
            found.append(f'{where} trusts Service {service}: only {", ".join(trusted)}')
    return found


def refusals(template, trusted):
    if not isinstance(template, dict) or not isinstance(template.get('Resources'), dict):
        return ['template.yml has no Resources mapping']
    found = []
    for logical_id, resource in template['Resources'].items():
        if not isinstance(resource, dict) or resource.get('Type') != 'AWS::IAM::Role':
            continue
        document = (resource.get('Properties') or {}).get('AssumeRolePolicyDocument')
        statements = document.get('Statement') if isinstance(document, dict) else None
        if not isinstance(statements, list) or not statements or set(document) - {'Version', 'Statement'}:
            found.append(f'role {logical_id} has the trust policy {document!r}: only a Version and a list of Statement this check can read')
            continue
        for index, statement in enumerate(statements):
            found.extend(statement_refusals(logical_id, index, statement, trusted))
    return found


def main(argv):
    path = argv[1]
    # What CloudFormation deploys is the file itself: a link could point this check at another one.
    if os.path.islink(path) or not os.path.isfile(path):
        print(f'{os.path.basename(path)} is not a regular file: the guard checks only what it reads', file=sys.stderr)
        return 1
    try:
        template = load(path)
    except (OSError, yaml.YAMLError) as error:
        print(f'template.yml cannot be read as CloudFormation: {error}', file=sys.stderr)
        return 1
    found = refusals(template, [name for name in os.environ['TRUSTED_ROLE_SERVICES'].split(',') if name])
    return report(found, 'reason(s) a role of template.yml could be assumed by someone other than ECS (docs/security.md)',
                  'template.yml: every role trusts only ECS')


if __name__ == '__main__':
    sys.exit(main(sys.argv))
