# Managed by projen-codestar-fargate: template.yml as CloudFormation reads it, for the stage guard's checks.
import sys

import yaml


class CloudFormationLoader(yaml.SafeLoader):
    """YAML as CloudFormation reads it: short-form intrinsics (!Ref, !Sub, !GetAtt ...) become their long form."""

    def construct_mapping(self, node, deep=False):
        # A key given twice could show this check one value and CloudFormation the other.
        keys = [self.construct_object(key, deep=True) for key, _ in node.value if key.tag != 'tag:yaml.org,2002:merge']
        repeated = sorted({str(key) for key in keys if keys.count(key) > 1})
        if repeated:
            raise yaml.constructor.ConstructorError(None, None, f'{", ".join(repeated)} given more than once', node.start_mark)
        return super().construct_mapping(node, deep=deep)


def _intrinsic(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if suffix == 'Ref':
        return {'Ref': value}
    if suffix == 'Condition':
        return {'Condition': value}
    if suffix == 'GetAtt' and isinstance(value, str):
        value = value.split('.', 1)
    return {'Fn::' + suffix: value}


CloudFormationLoader.add_multi_constructor('!', _intrinsic)


def load(path):
    with open(path, encoding='utf-8') as handle:
        return yaml.load(handle, Loader=CloudFormationLoader)


def report(found, reasons, accepted):
    """Each refusal and their count on stderr (status 1), or what the check accepted (status 0)."""
    for refusal in found:
        print(f'refused: {refusal}', file=sys.stderr)
    if found:
        print(f'{len(found)} {reasons}', file=sys.stderr)
        return 1
    print(accepted)
    return 0
