// A Go CDK app that uses the construct as a user of the Go module would.
package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodecommit"
	"github.com/aws/jsii-runtime-go"
	"github.com/projen-codestar-fargate/projen-codestar-fargate-go/projencodestarfargate"
)

func main() {
	defer jsii.Close()

	// The output folder comes from CDK_OUTDIR, as when the cdk CLI runs the app.
	app := awscdk.NewApp(nil)
	// Environment-agnostic: synthesizes without AWS credentials or context lookups.
	stack := awscdk.NewStack(app, jsii.String("Toolchain"), nil)
	repository := awscodecommit.NewRepository(stack, jsii.String("Repository"), &awscodecommit.RepositoryProps{
		RepositoryName: jsii.String("orders-api"),
	})
	projencodestarfargate.NewCodeStarFargatePipeline(stack, jsii.String("Pipeline"), &projencodestarfargate.CodeStarFargatePipelineProps{
		ServiceName: jsii.String("orders-api"),
		Source: projencodestarfargate.PipelineSource_CodeCommit(&projencodestarfargate.CodeCommitSourceOptions{
			Repository: repository,
		}),
		Stages: &[]*projencodestarfargate.PipelineStage{
			{Name: jsii.String("dev")},
			{Name: jsii.String("production")},
		},
	})

	// A platform the service could join: its own stacks, one per stage.
	projencodestarfargate.NewCodeStarFargatePlatform(app, jsii.String("Platform"), &projencodestarfargate.CodeStarFargatePlatformProps{
		PlatformName: jsii.String("acme"),
		Stages: &[]*projencodestarfargate.PlatformStage{
			{Name: jsii.String("dev")},
			{Name: jsii.String("production")},
		},
		Services: &[]*projencodestarfargate.PlatformService{
			{Name: jsii.String("orders-api"), RulePriority: jsii.Number(100)},
		},
	})

	app.Synth(nil)
}
