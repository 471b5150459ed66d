# Managed by projen-codestar-fargate: the stage guard runs this before each deploy of a service on a platform.
# IAM cannot limit a listener rule's priority, host or listener (CreateRule and ModifyRule have only tag keys), nor
# which target group ECS registers a service's tasks in: this refuses a template.yml that would take another
# service's traffic, or create what only the platform's own stacks may (listeners, load balancers, clusters, code).
# Usage: python3 platform-template-check.py <template.yml> <template-configuration.json> (the buildspec runs it in the
#   prepare step, before assets/toolchain/stage-guard.sh)
# Inputs (environment): PLATFORM_RULE_CONDITIONS (JSON: the only Conditions a rule may have),
#   PLATFORM_RULE_TEMPLATE_CONDITIONS (JSON: template conditions those rely on, by name, exactly as they must be),
#   PLATFORM_DOMAIN_PARAMETER (only for a service routed by its host name: the SSM name of the stage's domain, read with the aws CLI),
#   PLATFORM_RULE_PRIORITY_PARAMETER, PLATFORM_LISTENER_PARAMETERS (comma-separated), PLATFORM_CLUSTER_PARAMETER, PLATFORM_SSM_PARAMETERS
#   (comma-separated: parameters that must stay SSM parameter types), TOOLCHAIN_PARAMETERS (comma-separated: the
#   deploy action's parameter overrides, which the template configuration may not name).
import json
import os
import subprocess
import sys

import yaml

from cfn_template import load, report

# Resource types only the platform's stacks create; a service creating one would reach past its own part.
FORBIDDEN_TYPES = {
    'AWS::ElasticLoadBalancingV2::Listener': 'the platform\'s stacks own its listeners',
    'AWS::ElasticLoadBalancingV2::ListenerCertificate': 'the platform\'s stacks own its listeners\' certificates',
    'AWS::ElasticLoadBalancingV2::LoadBalancer': 'the platform\'s stacks own its load balancer',
    'AWS::ElasticLoadBalancing::LoadBalancer': 'the platform\'s stacks own its load balancer',
    'AWS::ECS::Cluster': 'the platform\'s stacks own its cluster',
    'AWS::ECS::ClusterCapacityProviderAssociations': 'the platform\'s stacks own its cluster\'s capacity providers',
    'AWS::ECS::CapacityProvider': 'the platform\'s stacks own its cluster\'s capacity providers',
    'AWS::CloudFormation::Stack': 'a nested stack is a template this check never reads',
    'AWS::CloudFormation::StackSet': 'a stack set deploys templates this check never reads',
    'AWS::CloudFormation::CustomResource': 'a custom resource runs code with its own role',
    'AWS::CloudFormation::Macro': 'a macro rewrites templates after this check',
}
FORBIDDEN_PREFIXES = {
    'Custom::': 'a custom resource runs code with its own role',
    'AWS::Lambda::': 'functions run code with their own role',
    'AWS::Serverless::': 'a transform rewrites the template after this check',
}
SSM_STRING = 'AWS::SSM::Parameter::Value<String>'
# What a platform stage publishes as its domain when it has none (contract.ts, PLATFORM_NONE).
NO_DOMAIN = 'none'


def contains_transform(value):
    if isinstance(value, dict):
        return 'Fn::Transform' in value or any(contains_transform(child) for child in value.values())
    if isinstance(value, list):
        return any(contains_transform(child) for child in value)
    return False


def names_own(value, resources, resource_type):
    """Whether value is a Ref to one of the template's own resources of that type (an Fn::If may choose between them)."""
    if not isinstance(value, dict) or len(value) != 1:
        return False
    if 'Ref' in value:
        target = resources.get(value['Ref'])
        return isinstance(target, dict) and target.get('Type') == resource_type
    if 'Fn::If' in value and isinstance(value['Fn::If'], list) and len(value['Fn::If']) == 3:
        return all(names_own(branch, resources, resource_type) or branch == {'Ref': 'AWS::NoValue'} for branch in value['Fn::If'][1:])
    return False


def branches(value):
    """Each value an Fn::If may take (an AWS::NoValue branch takes none), or the value itself."""
    if isinstance(value, dict) and len(value) == 1 and 'Fn::If' in value and isinstance(value['Fn::If'], list) and len(value['Fn::If']) == 3:
        return [leaf for branch in value['Fn::If'][1:] for leaf in branches(branch)]
    if value == {'Ref': 'AWS::NoValue'}:
        return []
    return [value]


def items(value):
    """The items of a list (or of each list an Fn::If may choose), anything else as a single item."""
    return [item for choice in branches(value) for item in (choice if isinstance(choice, list) else [choice]) for item in branches(item)]


def target_groups_of_actions(actions):
    for action in items(actions):
        if not isinstance(action, dict) or not ({'TargetGroupArn', 'ForwardConfig', 'Type'} & set(action)):
            yield action
            continue
        if 'TargetGroupArn' in action:
            yield action['TargetGroupArn']
        for config in branches(action.get('ForwardConfig')):
            for group in items(config.get('TargetGroups') if isinstance(config, dict) else config):
                yield group.get('TargetGroupArn') if isinstance(group, dict) else group


def refusals(template, configuration, env):
    found = []
    if not isinstance(template, dict) or not isinstance(template.get('Resources'), dict):
        return ['template.yml has no Resources mapping']
    resources = template['Resources']
    conditions = json.loads(env['PLATFORM_RULE_CONDITIONS'])
    priority = {'Ref': env['PLATFORM_RULE_PRIORITY_PARAMETER']}
    listeners = [{'Ref': name} for name in env['PLATFORM_LISTENER_PARAMETERS'].split(',')]
    template_conditions = template.get('Conditions') if isinstance(template.get('Conditions'), dict) else {}
    for name, definition in json.loads(env.get('PLATFORM_RULE_TEMPLATE_CONDITIONS') or '{}').items():
        if template_conditions.get(name) != definition:
            found.append(f'condition {name} is {json.dumps(template_conditions.get(name))}: it must be exactly {json.dumps(definition)}, as the listener rules\' conditions rely on it')
    if 'Transform' in template or contains_transform(template):
        found.append('template.yml uses a transform: on a platform none may rewrite the template after this check')
    parameters = template.get('Parameters') or {}
    for name in env['PLATFORM_SSM_PARAMETERS'].split(','):
        declared = (parameters.get(name) or {}).get('Type')
        if name in resources:
            found.append(f'resource {name} has the name of the platform\'s parameter {name}: a Ref to it must read the platform\'s value')
        if name in parameters and declared != SSM_STRING:
            found.append(f'parameter {name} is of type {declared}: it must stay {SSM_STRING}, read from the platform\'s SSM parameter the pipeline names')
    named = sorted(set(configuration.get('Parameters') or {}) & set(env['TOOLCHAIN_PARAMETERS'].split(',')))
    if named:
        found.append(f'template-configuration.json sets {", ".join(named)}: those are the pipeline\'s parameters')
    for logical_id, resource in resources.items():
        resource_type = resource.get('Type') if isinstance(resource, dict) else None
        if not isinstance(resource_type, str):
            found.append(f'resource {logical_id} has no type')
            continue
        why = FORBIDDEN_TYPES.get(resource_type) or next((reason for prefix, reason in FORBIDDEN_PREFIXES.items() if resource_type.startswith(prefix)), None)
        if why is None and resource_type.endswith('::MODULE'):
            why = 'a module expands into resources this check never reads'
        if why:
            found.append(f'resource {logical_id} ({resource_type}) is not allowed on a platform: {why}')
            continue
        properties = resource.get('Properties') or {}
        if resource_type == 'AWS::ElasticLoadBalancingV2::ListenerRule':
            if properties.get('Priority') != priority:
                found.append(f'listener rule {logical_id} has priority {json.dumps(properties.get("Priority"))}: it must be {json.dumps(priority)}, the priority the platform gave this service')
            if properties.get('Conditions') != conditions:
                found.append(f'listener rule {logical_id} has conditions {json.dumps(properties.get("Conditions"))}: they must be exactly {json.dumps(conditions)}, the service\'s own host name or path')
            if properties.get('ListenerArn') not in listeners:
                found.append(f'listener rule {logical_id} is on listener {json.dumps(properties.get("ListenerArn"))}: it must be one of {json.dumps(listeners)}')
            for group in target_groups_of_actions(properties.get('Actions') or []):
                if group is not None and not names_own(group, resources, 'AWS::ElasticLoadBalancingV2::TargetGroup'):
                    found.append(f'listener rule {logical_id} forwards to {json.dumps(group)}: only to this template\'s own target groups')
        if resource_type == 'AWS::ApplicationAutoScaling::ScalableTarget':
            # IAM cannot tie a scalable target to the service it scales, and every service's is in the shared cluster.
            own = [{'Fn::Sub': f'service/${{{env["PLATFORM_CLUSTER_PARAMETER"]}}}/${{{name}.Name}}'}
                   for name, other in resources.items() if isinstance(other, dict) and other.get('Type') == 'AWS::ECS::Service']
            if properties.get('ResourceId') not in own:
                found.append(f'scalable target {logical_id} scales {json.dumps(properties.get("ResourceId"))}: only this template\'s own ECS service, as {json.dumps(own)}')
        if resource_type == 'AWS::ECS::Service':
            for balancer in properties.get('LoadBalancers') or []:
                group = balancer.get('TargetGroupArn') if isinstance(balancer, dict) else balancer
                if not names_own(group, resources, 'AWS::ElasticLoadBalancingV2::TargetGroup'):
                    found.append(f'ECS service {logical_id} registers its tasks in {json.dumps(group)}: only in this template\'s own target groups')
    return found


def domain_refusals(env):
    """A service routed by its host name cannot be reached on a platform stage without a domain: refuse its deploy there."""
    parameter = env.get('PLATFORM_DOMAIN_PARAMETER')
    if not parameter:
        return []
    read = subprocess.run(['aws', 'ssm', 'get-parameter', '--name', parameter, '--query', 'Parameter.Value', '--output', 'text'],
                          capture_output=True, text=True, check=False)
    if read.returncode != 0:
        return [f'the platform stage\'s domain ({parameter}) cannot be read: {read.stderr.strip() or "aws ssm get-parameter failed"}']
    if read.stdout.strip() == NO_DOMAIN:
        return [f'the platform stage has no domain ({parameter} is "{NO_DOMAIN}"): a service routed by its host name <service>.<domain> '
                'cannot be reached there; give the service platformPath in .projenrc.ts (and deploy its toolchain), or the platform\'s stage a hostedZone']
    return []


def main(argv):
    template_path, configuration_path = argv[1], argv[2]
    for path in (template_path, configuration_path):
        # What CloudFormation deploys is the file itself: a link could point this check at another one.
        if os.path.exists(path) and (os.path.islink(path) or not os.path.isfile(path)):
            print(f'{os.path.basename(path)} is not a regular file: the guard checks only what it reads', file=sys.stderr)
            return 1
    try:
        template = load(template_path)
        configuration = load(configuration_path) if os.path.exists(configuration_path) else {}
    except (OSError, yaml.YAMLError) as error:
        print(f'template.yml cannot be read as CloudFormation: {error}', file=sys.stderr)
        return 1
    found = refusals(template, configuration if isinstance(configuration, dict) else {}, os.environ) + domain_refusals(os.environ)
    return report(found, 'reason(s) this template may not deploy on the platform (docs/security.md, "On a platform")',
                  'template.yml: the listener rules, target groups and resource types are the service\'s own')


if __name__ == '__main__':
    sys.exit(main(sys.argv))
