"""A Python CDK app that uses the construct as a user of the PyPI package would."""
import aws_cdk as cdk
from aws_cdk import aws_codecommit as codecommit
from projen_codestar_fargate import (
    CodeStarFargatePipeline,
    CodeStarFargatePlatform,
    PipelineSource,
    PipelineStage,
    PlatformService,
    PlatformStage,
)

# The output folder comes from CDK_OUTDIR, as when the cdk CLI runs the app.
app = cdk.App()
# Environment-agnostic: synthesizes without AWS credentials or context lookups.
stack = cdk.Stack(app, "Toolchain")
repository = codecommit.Repository(stack, "Repository", repository_name="orders-api")
CodeStarFargatePipeline(
    stack,
    "Pipeline",
    service_name="orders-api",
    source=PipelineSource.code_commit(repository=repository),
    stages=[PipelineStage(name="dev"), PipelineStage(name="production")],
)
# A platform the service could join: its own stacks, one per stage.
CodeStarFargatePlatform(
    app,
    "Platform",
    platform_name="acme",
    stages=[PlatformStage(name="dev"), PlatformStage(name="production")],
    services=[PlatformService(name="orders-api", rule_priority=100)],
)
app.synth()
