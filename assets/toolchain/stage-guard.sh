# Managed by projen-codestar-fargate: the pipeline runs this in CodeBuild around each stage's deploy.
# Sourced, not executed: CodeBuild exports the variables it sets (LOAD_BALANCER_DELETION_PROTECTION, PRODUCTION_TARGET_GROUP,
#   SERVICE_PLACEMENT, LOG_GROUP_NAMING).
#   prepare (before the deploy): refuses an IMAGE_URI that is not a digest of an image in REPOSITORY_URI. A stack whose first create failed is deleted so that this deploy can create
#     it again; a stack that was ever created successfully is never deleted. Sets whether the load balancer
#     refuses deletion: never during a first create, whose rollback must be able to delete it. Reads which
#     target group production is on, and refuses a switch to ROLLING while that is the alternate one. Reads whether the
#     deployed service places its tasks by LaunchType and whether its log group has release 1.0's name: both are kept,
#     as changing either replaces a resource.
#   record (after the deploy): tags the image the stage now runs, records its digest among the last IMAGES_KEPT the
#     stage ran in DEPLOYED_IMAGES_PARAMETER (which only this guard may write), and takes the stage's tag off every image
#     that record does not name: a dev build can push any tag, so the tags themselves prove nothing.
# Inputs: STAGE_GUARD_STEP, STACK_NAME, SERVICE_TAG, STAGE_TAG, PROTECT_LOAD_BALANCER, DEPLOYMENT_STRATEGY, FARGATE_SPOT,
#   RELEASE1_LOG_GROUP_NAME,
#   IMAGE_URI, REPOSITORY_URI, DEPLOYED_TAG_PREFIX,
#   PIPELINE_EXECUTION_ID, IMAGES_KEPT, DEPLOYED_IMAGES_PARAMETER.

# template.yml's AllowedPattern is the commit's to change; this check is the toolchain's.
stage_guard_image() {
  local digest="${IMAGE_URI##*@}"
  if ! [[ "$IMAGE_URI" =~ ^"$REPOSITORY_URI"@sha256:[0-9a-f]{64}$ ]]; then
    echo "$STACK_NAME: refusing to deploy IMAGE_URI '$IMAGE_URI': it must be $REPOSITORY_URI@sha256:<64 hex digits>, an image of the service's own repository by digest." >&2
    return 1
  fi
  if ! aws ecr describe-images --repository-name "${REPOSITORY_URI#*/}" --image-ids imageDigest="$digest" --query 'imageDetails[0].imageDigest' --output text > /dev/null 2> describe-images.err; then
    echo "$STACK_NAME: refusing to deploy IMAGE_URI '$IMAGE_URI': its digest is not in the repository ${REPOSITORY_URI#*/}: $(cat describe-images.err)" >&2
    return 1
  fi
}

stage_guard_prepare() {
  local status
  stage_guard_image || return 1
  if ! status="$(aws cloudformation describe-stacks --stack-name "$STACK_NAME" --query 'Stacks[0].StackStatus' --output text 2> describe-stacks.err)"; then
    if grep -q 'does not exist' describe-stacks.err; then
      status=NONE
    else
      cat describe-stacks.err >&2
      return 1
    fi
  fi
  case "$status" in
    # Only a failed first create ends in these states; a stack that once succeeded cannot reach them.
    ROLLBACK_COMPLETE | ROLLBACK_FAILED)
      echo "$STACK_NAME: its first create failed ($status); deleting it so that this deploy creates it again."
      aws cloudformation delete-stack --stack-name "$STACK_NAME" || return 1
      aws cloudformation wait stack-delete-complete --stack-name "$STACK_NAME" || return 1
      status=NONE
      ;;
  esac
  PRODUCTION_TARGET_GROUP=TargetGroup
  SERVICE_PLACEMENT=CapacityProviderStrategy
  LOG_GROUP_NAMING=WithStackId
  if [ "$status" = NONE ]; then
    LOAD_BALANCER_DELETION_PROTECTION=false
  else
    LOAD_BALANCER_DELETION_PROTECTION="$PROTECT_LOAD_BALANCER"
    stage_guard_production_target_group || return 1
    stage_guard_service_placement || return 1
    stage_guard_log_group_naming || return 1
  fi
  echo "$STACK_NAME: ${status}; load balancer deletion protection: $LOAD_BALANCER_DELETION_PROTECTION; production on $PRODUCTION_TARGET_GROUP; tasks placed by $SERVICE_PLACEMENT; log group named $LOG_GROUP_NAMING"
}

# Release 1.0 did not tag the service's scalable target with its stage, and the deploy role may change only targets that
# carry it (CloudFormation puts no aws: tags on scalable targets): the guard, whose script no commit can change, adds it.
stage_guard_tag_release1_scalable_target() {
  local target
  # The id from the guard's own settings (template.yml names the cluster like the stack), not from what the stack says.
  target="$(aws application-autoscaling describe-scalable-targets --service-namespace ecs --resource-ids "service/$STACK_NAME/$SERVICE_TAG" \
    --query 'ScalableTargets[0].ScalableTargetARN' --output text)" || return 1
  if [ -z "$target" ] || [ "$target" = None ]; then
    return 0
  fi
  aws application-autoscaling tag-resource --resource-arn "$target" --tags "service=$SERVICE_TAG,stage=$STAGE_TAG" || return 1
  echo "$STACK_NAME: tagged the scalable target release 1.0 created with service=$SERVICE_TAG and stage=$STAGE_TAG"
}

# A log group's name is create-only: a stage whose log group release 1.0 named /ecs/<service>/<stage> keeps that name.
stage_guard_log_group_naming() {
  local log_group
  log_group="$(stage_guard_stack_resource LogGroup)" || return 1
  if [ -n "${RELEASE1_LOG_GROUP_NAME:-}" ] && [ "$log_group" = "$RELEASE1_LOG_GROUP_NAME" ]; then
    LOG_GROUP_NAMING=Release1
  fi
}

# LaunchType is conditionally create-only: CloudFormation would replace a service that drops it for a capacity
# provider strategy, and the service's fixed name makes that replacement fail. A service created with it keeps it.
stage_guard_service_placement() {
  local cluster service placement
  service="$(stage_guard_stack_resource Service)" || return 1
  cluster="$(stage_guard_stack_resource Cluster)" || return 1
  if [ -z "$service" ] || [ "$service" = None ] || [ -z "$cluster" ] || [ "$cluster" = None ]; then
    return 0
  fi
  # A launch type and no strategy: a service that names a strategy is never moved to LaunchType, whatever ECS reports.
  placement="$(aws ecs describe-services --cluster "$cluster" --services "$service" \
    --query 'services[0].[launchType, length(capacityProviderStrategy || `[]`)]' --output text)" || return 1
  if [ "$placement" != "$(printf 'FARGATE\t0')" ]; then
    return 0
  fi
  SERVICE_PLACEMENT=LaunchType
  stage_guard_tag_release1_scalable_target || return 1
  if [ "${FARGATE_SPOT:-false}" = true ]; then
    echo "$STACK_NAME: fargateSpot cannot be turned on for this stage: its service was created with LaunchType FARGATE (release 1.0), and CloudFormation can move it to the FARGATE_SPOT capacity provider only by replacing the service, which its fixed name ($service) does not allow. Keep fargateSpot off for this stage, or create the stage's stack again (docs/upgrades.md: 'A stage deployed by release 1.0')." >&2
    return 1
  fi
}

# The physical id of one of the stack's resources; nothing when the stack has none of that name.
stage_guard_stack_resource() {
  if aws cloudformation describe-stack-resource --stack-name "$STACK_NAME" --logical-resource-id "$1" \
    --query StackResourceDetail.PhysicalResourceId --output text 2> describe-stack-resource.err; then
    return 0
  fi
  grep -q 'does not exist' describe-stack-resource.err && return 0
  cat describe-stack-resource.err >&2
  return 1
}

# ECS moves production to the other target group on every BLUE_GREEN, CANARY or LINEAR release and records it only
# in the production listener rule's weights; the template's rule and listeners follow what this reads. A ROLLING
# update would move the tasks to the primary group while the rule, deleted only in the stack's cleanup, still
# forwards to the alternate one: production would answer 503 in between, so that switch waits for a release.
stage_guard_production_target_group() {
  local rule alternate serving deployed_strategy
  rule="$(stage_guard_stack_resource ProductionListenerRule)" || return 1
  if [ -z "$rule" ] || [ "$rule" = None ]; then
    return 0
  fi
  alternate="$(stage_guard_stack_resource AlternateTargetGroup)" || return 1
  serving="$(aws elbv2 describe-rules --rule-arns "$rule" \
    --query "Rules[0].Actions[?Type=='forward'] | [0].ForwardConfig.TargetGroups | max_by(@, &Weight).TargetGroupArn" --output text)" || return 1
  if [ -z "$alternate" ] || [ "$serving" != "$alternate" ]; then
    return 0
  fi
  PRODUCTION_TARGET_GROUP=AlternateTargetGroup
  if [ "${DEPLOYMENT_STRATEGY:-}" = ROLLING ]; then
    deployed_strategy="$(aws cloudformation describe-stacks --stack-name "$STACK_NAME" \
      --query "Stacks[0].Parameters[?ParameterKey=='DeploymentStrategy'].ParameterValue | [0]" --output text)" || return 1
    echo "$STACK_NAME: switching to ROLLING now would send production traffic to a target group with no tasks: the last $deployed_strategy release left production on AlternateTargetGroup, which a ROLLING stack does not have. Do it in two deploys: first release once more with deploymentStrategy $deployed_strategy (revert the switch and push), which moves production back to TargetGroup; then switch to ROLLING and push again." >&2
    return 1
  fi
}

stage_guard_record() {
  local digest="${IMAGE_URI##*@}" repository="${IMAGE_URI%@*}"
  repository="${repository#*/}"
  # The time orders a stage's tags: ECR records when an image was pushed, never when it was tagged.
  local deployed_tag
  deployed_tag="${DEPLOYED_TAG_PREFIX}$(date -u +%Y%m%dT%H%M%SZ)-${PIPELINE_EXECUTION_ID}"
  local manifest media_type
  manifest="$(aws ecr batch-get-image --repository-name "$repository" --image-ids imageDigest="$digest" --query 'images[0].imageManifest' --output text)" || return 1
  media_type="$(aws ecr batch-get-image --repository-name "$repository" --image-ids imageDigest="$digest" --query 'images[0].imageManifestMediaType' --output text)" || return 1
  if [ -z "$manifest" ] || [ "$manifest" = None ]; then
    echo "$IMAGE_URI is not in the repository $repository" >&2
    return 1
  fi
  printf '%s' "$manifest" > image-manifest.json
  if aws ecr put-image --repository-name "$repository" --image-tag "$deployed_tag" --image-digest "$digest" \
    --image-manifest file://image-manifest.json --image-manifest-media-type "$media_type" > /dev/null 2> put-image.err; then
    echo "Tagged $IMAGE_URI $deployed_tag"
  elif grep -q 'ImageAlreadyExistsException' put-image.err; then
    # A retried stage of the same execution within the same second: the tag is already on this image.
    echo "$IMAGE_URI already carries $deployed_tag"
  else
    cat put-image.err >&2
    return 1
  fi
  stage_guard_remember "$digest" || return 1
  stage_guard_prune "$repository"
}

# Puts the digest first in the stage's record of the last IMAGES_KEPT images it ran (each once), and sets RECORDED_DIGESTS.
stage_guard_remember() {
  local previous other recorded=("$1")
  previous="$(aws ssm get-parameter --name "$DEPLOYED_IMAGES_PARAMETER" --query Parameter.Value --output text)" || return 1
  for other in $previous; do
    # The parameter's first value names no image.
    if [[ "$other" == sha256:* ]] && [[ " ${recorded[*]} " != *" $other "* ]]; then
      recorded+=("$other")
    fi
  done
  recorded=("${recorded[@]:0:IMAGES_KEPT}")
  RECORDED_DIGESTS=" ${recorded[*]} "
  # SSM refuses an empty value.
  aws ssm put-parameter --name "$DEPLOYED_IMAGES_PARAMETER" --type String --overwrite --value "${recorded[*]:-none}" > /dev/null || return 1
}

# Leaves the stage's tag on the images the stage's record names (the newest tag of each) and removes every other tag of
# the stage, forged ones included: an image that loses it falls to the repository's count rule.
# Tags from before the time was in them count as older than any timed one, the newest push first.
# Removing a tag never deletes an image: each keeps the build's own tag, which nothing removes.
stage_guard_prune() {
  local repository="$1" rows
  rows="$(aws ecr describe-images --repository-name "$repository" --filter tagStatus=TAGGED \
    --query "imageDetails[].[imageDigest, imagePushedAt, join(' ', imageTags[?starts_with(@, '${DEPLOYED_TAG_PREFIX}')])]" \
    --output text)" || return 1
  local digest pushed tags tag stamp order
  local records=()
  while read -r digest pushed tags; do
    for tag in $tags; do
      stamp="${tag#"$DEPLOYED_TAG_PREFIX"}"
      if [[ "$stamp" =~ ^[0-9]{8}T[0-9]{6}Z- ]]; then order="1 ${stamp%%-*}"; else order="0 $pushed"; fi
      records+=("$order $tag $digest")
    done
  done <<< "$rows"
  local kept=" " count=0 stale=()
  while read -r _ _ tag digest; do
    [ -n "$tag" ] || continue
    if [[ "$kept" != *" $digest "* ]] && [[ "$RECORDED_DIGESTS" == *" $digest "* ]]; then
      kept+="$digest "
      count=$((count + 1))
    else
      stale+=("imageTag=$tag")
    fi
  done < <(printf '%s\n' "${records[@]}" | LC_ALL=C sort -r)
  local i failures
  # BatchDeleteImage takes at most 100 image ids.
  for ((i = 0; i < ${#stale[@]}; i += 100)); do
    failures="$(aws ecr batch-delete-image --repository-name "$repository" --image-ids "${stale[@]:i:100}" \
      --query 'failures[].[imageId.imageTag, failureCode]' --output text)" || return 1
    if [ -n "${failures//[[:space:]]/}" ]; then
      echo "ECR kept these tags of $DEPLOYED_TAG_PREFIX*: $failures" >&2
      return 1
    fi
  done
  echo "${DEPLOYED_TAG_PREFIX}* stays on the $count images the stage's record names, the last it ran; removed ${#stale[@]} other tags"
}

# Scratch files go to a folder of its own, not the source artifact's, whose links a commit controls.
cd "$(mktemp -d)" || exit 1

case "${STAGE_GUARD_STEP:-}" in
  prepare) stage_guard_prepare ;;
  record) stage_guard_record ;;
  *) echo "STAGE_GUARD_STEP must be prepare or record, not '${STAGE_GUARD_STEP:-}'" >&2; false ;;
esac
