module example.com/toolchain

go 1.25

require (
	github.com/aws/aws-cdk-go/awscdk/v2 v2.276.0
	github.com/aws/constructs-go/constructs/v10 v10.8.1
	github.com/aws/jsii-runtime-go v1.140.0
	github.com/projen-codestar-fargate/projen-codestar-fargate-go/projencodestarfargate v0.0.0
)
