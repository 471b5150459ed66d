package com.example.toolchain;

import io.github.projencodestarfargate.CodeCommitSourceOptions;
import io.github.projencodestarfargate.CodeStarFargatePipeline;
import io.github.projencodestarfargate.CodeStarFargatePlatform;
import io.github.projencodestarfargate.PipelineSource;
import io.github.projencodestarfargate.PipelineStage;
import io.github.projencodestarfargate.PlatformService;
import io.github.projencodestarfargate.PlatformStage;
import java.util.List;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.codecommit.Repository;

/** A Java CDK app that uses the construct as a user of the Maven package would. */
public final class ToolchainApp {
    private ToolchainApp() {
    }

    public static void main(final String[] args) {
        // The output folder comes from CDK_OUTDIR, as when the cdk CLI runs the app.
        App app = new App();
        // Environment-agnostic: synthesizes without AWS credentials or context lookups.
        Stack stack = new Stack(app, "Toolchain");
        Repository repository = Repository.Builder.create(stack, "Repository")
                .repositoryName("orders-api")
                .build();
        CodeStarFargatePipeline.Builder.create(stack, "Pipeline")
                .serviceName("orders-api")
                .source(PipelineSource.codeCommit(CodeCommitSourceOptions.builder().repository(repository).build()))
                .stages(List.of(
                        PipelineStage.builder().name("dev").build(),
                        PipelineStage.builder().name("production").build()))
                .build();
        // A platform the service could join: its own stacks, one per stage.
        CodeStarFargatePlatform.Builder.create(app, "Platform")
                .platformName("acme")
                .stages(List.of(
                        PlatformStage.builder().name("dev").build(),
                        PlatformStage.builder().name("production").build()))
                .services(List.of(PlatformService.builder().name("orders-api").rulePriority(100).build()))
                .build();
        app.synth();
    }
}
