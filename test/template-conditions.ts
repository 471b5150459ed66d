/**
 * template.yml as CloudFormation would deploy it with some parameters: the named conditions evaluated, their
 * `Fn::If`s replaced by the chosen branch, `AWS::NoValue` dropped and resources whose condition is false left out.
 * Refs stay as they are; conditions not named stay unevaluated.
 */
export function deployedAs(template: any, parameters: Record<string, string>, conditionNames: string[]): any {
  const valueOf = (name: string): string => {
    if (name in parameters) return parameters[name];
    const declared = template.Parameters?.[name];
    if (!declared) throw new Error(`parameter ${name} is not declared`);
    return String(declared.Default ?? '');
  };
  const scalar = (expression: any): string => {
    if (typeof expression === 'string' || typeof expression === 'number') return String(expression);
    if (expression && typeof expression === 'object' && 'Ref' in expression) return valueOf(expression.Ref);
    throw new Error(`cannot evaluate ${JSON.stringify(expression)}`);
  };
  const cache = new Map<string, boolean>();
  const condition = (name: string): boolean => {
    if (!cache.has(name)) cache.set(name, evaluate(template.Conditions[name]));
    return cache.get(name)!;
  };
  const evaluate = (expression: any): boolean => {
    if ('Fn::Equals' in expression) return scalar(expression['Fn::Equals'][0]) === scalar(expression['Fn::Equals'][1]);
    if ('Fn::Not' in expression) return !evaluate(expression['Fn::Not'][0]);
    if ('Fn::And' in expression) return expression['Fn::And'].every(evaluate);
    if ('Fn::Or' in expression) return expression['Fn::Or'].some(evaluate);
    if ('Condition' in expression) return condition(expression.Condition);
    throw new Error(`cannot evaluate condition ${JSON.stringify(expression)}`);
  };
  const NO_VALUE = Symbol('NoValue');
  const walk = (value: any): any => {
    if (Array.isArray(value)) return value.map(walk).filter((item) => item !== NO_VALUE);
    if (value === null || typeof value !== 'object') return value;
    if (value.Ref === 'AWS::NoValue') return NO_VALUE;
    if ('Fn::If' in value && conditionNames.includes(value['Fn::If'][0])) {
      const [name, whenTrue, whenFalse] = value['Fn::If'];
      return walk(condition(name) ? whenTrue : whenFalse);
    }
    const entries = Object.entries(value).map(([key, child]) => [key, walk(child)]).filter(([, child]) => child !== NO_VALUE);
    return Object.fromEntries(entries);
  };
  const resources = Object.fromEntries(Object.entries<any>(template.Resources)
    .filter(([, resource]) => !(resource.Condition && conditionNames.includes(resource.Condition) && !condition(resource.Condition))));
  return walk({ ...template, Resources: resources });
}
