import * as fs from 'fs';
import * as path from 'path';
import { AppRuntime, CodeStarFargateProject, CodeStarFargateProjectOptions } from '../src';
import { listFiles, serviceOptions } from './helpers';

/** A Python service as a team has it: its app, tests, Dockerfile, .dockerignore, .gitignore and README. */
const EXISTING_SERVICE: Record<string, string> = {
  'app.py': 'print("hello")\n',
  'tests/test_app.py': 'import unittest\n',
  'Dockerfile': 'FROM python:3.13-slim\nUSER 1000\n',
  '.dockerignore': '.git\n',
  '.gitignore': '__pycache__/\n',
  '.gitattributes': '*.py text\n',
  'README.md': '# orders-api\n\nOur service.\n',
  'smoke-test.sh': '#!/bin/sh\ncurl -f "$1/healthz"\n',
};

function existingService(extra: Record<string, string> = {}): CodeStarFargateProjectOptions {
  const options = serviceOptions({ appRuntime: AppRuntime.CONTAINER });
  for (const [file, contents] of Object.entries({ ...EXISTING_SERVICE, ...extra })) {
    fs.mkdirSync(path.dirname(path.join(options.outdir!, file)), { recursive: true });
    fs.writeFileSync(path.join(options.outdir!, file), contents);
  }
  return options;
}

function synthWithoutInstall(options: CodeStarFargateProjectOptions): void {
  process.env.PROJEN_DISABLE_POST = 'true';
  try {
    new CodeStarFargateProject(options).synth();
  } finally {
    delete process.env.PROJEN_DISABLE_POST;
  }
}

describe('a container service adopted in a folder that holds one already', () => {
  it('leaves every file of the team\'s as it was, on the first synth and the next', () => {
    const options = existingService();
    synthWithoutInstall(options);
    synthWithoutInstall({ ...options, containerPort: 9000 });
    for (const [file, contents] of Object.entries(EXISTING_SERVICE)) {
      expect([file, fs.readFileSync(path.join(options.outdir!, file), 'utf-8')]).toEqual([file, contents]);
    }
    const written = listFiles(options.outdir!);
    expect(written).toEqual(expect.arrayContaining(['buildspec.yml', 'template.yml', 'docs/service.md', 'infra/main.ts', 'scripts/image.sh']));
    expect(fs.readFileSync(path.join(options.outdir!, 'template.yml'), 'utf-8')).toContain('ContainerPort: 9000');
    const listed: string[] = JSON.parse(fs.readFileSync(path.join(options.outdir!, '.projen/files.json'), 'utf-8')).files;
    expect(listed).not.toContain('.gitignore');
  });

  it('stops before anything is written when a managed file\'s path holds a file of the team\'s, naming it and what moves it', () => {
    const options = existingService({ 'buildspec.yml': 'version: 0.2\n', 'infra/main.ts': 'x', 'infra/toolchain.generated.ts': 'y' });
    const before = listFiles(options.outdir!);
    expect(() => synthWithoutInstall(options)).toThrow([
      'Files of yours are where projen-codestar-fargate writes a managed file, which would overwrite them. Nothing was written.',
      '  - buildspec.yml: no option moves it',
      '  - infra/toolchain.generated.ts: the option srcdir moves infra/ elsewhere',
      'Move or rename each file listed (or set the option named), then run the command again.',
    ].join('\n'));
    expect(listFiles(options.outdir!)).toEqual(before);
    expect(fs.readFileSync(path.join(options.outdir!, 'buildspec.yml'), 'utf-8')).toBe('version: 0.2\n');
  });

  it('names appRuntime container when a node service would overwrite the team\'s Dockerfile', () => {
    const options = existingService();
    expect(() => synthWithoutInstall({ ...options, appRuntime: AppRuntime.NODE })).toThrow(
      '  - .dockerignore: appRuntime "container" (--app-runtime container) keeps your own Dockerfile and .dockerignore\n'
      + '  - Dockerfile: appRuntime "container" (--app-runtime container) keeps your own Dockerfile and .dockerignore');
  });

  it('stops at a Node.js app\'s own package.json, saying why, what projen new\'s npm install changed and how to undo it', () => {
    const teamPackage = '{\n  "name": "orders",\n  "scripts": { "start": "node server.js" },\n  "devDependencies": { "projen-codestar-fargate": "^1.1.0" }\n}\n';
    const options = existingService({ 'package.json': teamPackage });
    const before = listFiles(options.outdir!);
    expect(() => synthWithoutInstall(options)).toThrow(
      '  - package.json: the toolchain is a Node.js project whose package.json is at the repository\'s root, so a Node.js app\'s own'
      + ' package.json there is not supported yet (an app in a folder of its own is: set dockerBuildContext and dockerfilePath);'
      + ' when this stops projen new, its npm install has already added projen-codestar-fargate to yours and changed package-lock.json and'
      + ' node_modules: git checkout -- package.json package-lock.json (those git has), then rm -rf node_modules, puts them back');
    expect(listFiles(options.outdir!)).toEqual(before);
    expect(fs.readFileSync(path.join(options.outdir!, 'package.json'), 'utf-8')).toBe(teamPackage);
  });

  it('adopts a Node.js app whose package.json is in a folder of its own, leaving that folder as it was', () => {
    const app = { 'service/package.json': '{ "name": "orders", "scripts": { "start": "node server.js" } }\n', 'service/server.js': 'require("http");\n', 'service/Dockerfile': 'FROM node:24-slim\nUSER 1000\n' };
    const options = existingService(app);
    synthWithoutInstall({ ...options, dockerBuildContext: 'service', dockerfilePath: 'service/Dockerfile' });
    for (const [file, contents] of Object.entries(app)) {
      expect([file, fs.readFileSync(path.join(options.outdir!, file), 'utf-8')]).toEqual([file, contents]);
    }
    // service/Dockerfile is the context's own Dockerfile, so docker build names the context alone.
    expect(fs.readFileSync(path.join(options.outdir!, 'buildspec.yml'), 'utf-8')).toContain('docker build --pull --no-cache --tag "$REPOSITORY_URI:$IMAGE_TAG" service\n');
  });

  it('accepts srcdir moving the toolchain out of the team\'s infra/', () => {
    const options = existingService({ 'infra/toolchain.generated.ts': 'y' });
    synthWithoutInstall({ ...options, srcdir: 'toolchain' });
    expect(fs.readFileSync(path.join(options.outdir!, 'infra/toolchain.generated.ts'), 'utf-8')).toBe('y');
    expect(fs.existsSync(path.join(options.outdir!, 'toolchain/toolchain.generated.ts'))).toBe(true);
  });
});
