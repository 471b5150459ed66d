/**
 * The `runtime-versions` CodeBuild's images offer besides Node.js, by runtime name: the versions both the Ubuntu
 * standard:7.0 image (x86-64) and the Amazon Linux 2023 aarch64 standard:3.0 image (ARM64 builds) list in their
 * runtimes.yml (aws/aws-codebuild-docker-images, 2026-04-09), so a service builds on either architecture.
 */
export const CODEBUILD_RUNTIME_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  java: ['corretto25', 'corretto21', 'corretto17', 'corretto11', 'corretto8'],
  golang: ['1.26', '1.25', '1.24', '1.23', '1.22', '1.21', '1.20'],
  python: ['3.14', '3.13', '3.12', '3.11', '3.10', '3.9'],
  php: ['8.5', '8.4', '8.3', '8.2'],
  ruby: ['4.0', '3.4', '3.3', '3.2', '3.1'],
  dotnet: ['10.0', '8.0', '6.0'],
};
