// A small evaluator of ECR lifecycle policies, written from ECR's documentation, so that tests can replay
// what ECR would expire. Rules cited from the Amazon ECR User Guide:
//   LifecyclePolicies.html#lp_evaluation_rules ("Lifecycle policy evaluation rules"),
//   lifecycle_policy_parameters.html (rulePriority, tagStatus, tagPatternList, tagPrefixList, countType, countNumber),
//   lifecycle_policy_examples.html ("Filtering on multiple rules", Examples A and B).

/** One image in a repository: its digest, when it was pushed, and its tags. */
export interface RepositoryImage {
  readonly digest: string;
  /** ECR's `imagePushedAt`, in seconds; a greater number is a later push. */
  readonly pushedAt: number;
  readonly tags: ReadonlySet<string>;
}

/** A rule of a lifecycle policy's JSON text (`rules[]`). */
export interface LifecycleRuleJson {
  readonly rulePriority: number;
  readonly selection: {
    readonly tagStatus: 'tagged' | 'untagged' | 'any';
    readonly tagPatternList?: string[];
    readonly tagPrefixList?: string[];
    readonly countType: 'imageCountMoreThan' | 'sinceImagePushed';
    readonly countNumber: number;
    readonly countUnit?: 'days';
  };
  readonly action: { readonly type: string };
}

/** Refuses what ECR refuses, so a test can never evaluate a policy ECR would not accept. */
function validate(rules: LifecycleRuleJson[]): void {
  const priorities = rules.map((rule) => rule.rulePriority);
  // rulePriority: "you must give them each a unique value".
  if (new Set(priorities).size !== priorities.length) {
    throw new Error(`rulePriority values must be unique: ${priorities.join(', ')}`);
  }
  const highest = Math.max(...priorities);
  for (const rule of rules) {
    const { selection } = rule;
    // rulePriority: "A rule with a tagStatus value of any must have the highest value for rulePriority".
    if (selection.tagStatus === 'any' && rule.rulePriority !== highest) {
      throw new Error(`the tagStatus "any" rule has priority ${rule.rulePriority}, not the highest (${highest})`);
    }
    // tagStatus: "If you specify tagged, then you must also specify a tagPrefixList value or tagPatternList value".
    if (selection.tagStatus === 'tagged' && !(selection.tagPatternList?.length || selection.tagPrefixList?.length)) {
      throw new Error(`rule ${rule.rulePriority} selects tagged images without a tagPatternList or tagPrefixList`);
    }
    // tagPatternList: "There is a maximum limit of four wildcards (*) per string".
    for (const pattern of selection.tagPatternList ?? []) {
      if ((pattern.match(/\*/g) ?? []).length > 4) {
        throw new Error(`rule ${rule.rulePriority}: tag pattern ${pattern} has more than four wildcards`);
      }
    }
    // countNumber: "Acceptable values are positive integers (0 is not an accepted value)".
    if (!Number.isInteger(selection.countNumber) || selection.countNumber < 1) {
      throw new Error(`rule ${rule.rulePriority}: countNumber ${selection.countNumber} is not a positive integer`);
    }
    // countUnit: "This parameter is required if you used sinceImagePushed as your countType"; days is its only value.
    if (selection.countType === 'sinceImagePushed' ? selection.countUnit !== 'days' : selection.countUnit !== undefined) {
      throw new Error(`rule ${rule.rulePriority}: countUnit ${selection.countUnit} does not go with countType ${selection.countType}`);
    }
    if (selection.countType !== 'imageCountMoreThan' && selection.countType !== 'sinceImagePushed') {
      throw new Error(`rule ${rule.rulePriority}: countType must be imageCountMoreThan or sinceImagePushed, not ${selection.countType}`);
    }
  }
  // "Only one rule is allowed to select untagged images."
  if (rules.filter((rule) => rule.selection.tagStatus !== 'tagged').length > 1) {
    throw new Error('more than one rule selects untagged images');
  }
}

/** A tag pattern's `*` matches any run of characters, including none (tagPatternList: "prod*" selects prod, prod1, ...). */
function patternMatches(pattern: string, tag: string): boolean {
  const expression = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${expression}$`).test(tag);
}

/** Whether an image meets a rule's tagging requirements (what "matches" means in the evaluation rules). */
export function ruleSelects(rule: LifecycleRuleJson, image: RepositoryImage): boolean {
  const tags = [...image.tags];
  switch (rule.selection.tagStatus) {
    // tagStatus: "If you specify any, then all images have the rule evaluated against them".
    case 'any':
      return true;
    case 'untagged':
      return tags.length === 0;
    case 'tagged':
      // tagPatternList: "If you specify multiple tags, only the images with all specified tags are selected";
      // evaluation rules: an image matches "if all of the tags in the tagPrefixList value are matched against any of the image's tags".
      return tags.length > 0
        && (rule.selection.tagPatternList ?? []).every((pattern) => tags.some((tag) => patternMatches(pattern, tag)))
        && (rule.selection.tagPrefixList ?? []).every((prefix) => tags.some((tag) => tag.startsWith(prefix)));
  }
}

const SECONDS_PER_DAY = 86_400;

/** The images a rule would expire by itself: beyond its count, newest push first, or pushed more than its days ago. */
function beyondRule(rule: LifecycleRuleJson, selected: RepositoryImage[], evaluatedAt: number): RepositoryImage[] {
  if (rule.selection.countType === 'sinceImagePushed') {
    // "With countType = sinceImagePushed, all images whose pushed_at_time is older than the specified number of days
    // based on countNumber are expired."
    return selected.filter((image) => evaluatedAt - image.pushedAt > rule.selection.countNumber * SECONDS_PER_DAY);
  }
  return selected.slice(rule.selection.countNumber);
}

/**
 * The digests ECR expires from `images` under the policy's JSON text, evaluated at `evaluatedAt` (seconds, like
 * `pushedAt`; by default the newest push).
 */
export function expiredImages(policyText: string, images: readonly RepositoryImage[], evaluatedAt?: number): Set<string> {
  const now = evaluatedAt ?? Math.max(0, ...images.map((image) => image.pushedAt));
  const rules: LifecycleRuleJson[] = [...JSON.parse(policyText).rules].sort((a, b) => a.rulePriority - b.rulePriority);
  validate(rules);
  const expired = new Set<string>();
  // "All rules are evaluated at the same time, regardless of rule priority. After all rules are evaluated, they are
  // then applied based on rule priority."
  rules.forEach((rule, index) => {
    // "Rules can never mark images that are marked by higher priority rules, but can still identify them as if they
    // haven't been expired": the count runs over every image the rule selects.
    // "With countType = imageCountMoreThan, images are sorted from youngest to oldest based on pushed_at_time and then
    // all images greater than the specified count are expired."
    const selected = images.filter((image) => ruleSelects(rule, image)).sort((a, b) => b.pushedAt - a.pushedAt);
    for (const image of beyondRule(rule, selected, now)) {
      // "An image that matches the tagging requirements of a rule cannot be expired by a rule with a lower priority";
      // "An image is expired by exactly one or zero rules."
      const claimedByHigherRule = rules.slice(0, index).some((higher) => ruleSelects(higher, image));
      if (!claimedByHigherRule) {
        expired.add(image.digest);
      }
    }
  });
  return expired;
}
