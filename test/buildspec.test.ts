import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { AppRuntime } from '../src';
import { synthService } from './helpers';

const schema = JSON.parse(fs.readFileSync(path.join(__dirname, 'schemas', 'buildspec.schema.json'), 'utf-8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

describe.each([AppRuntime.NODE, AppRuntime.SPRING_BOOT])('the %s buildspec.yml', (appRuntime) => {
  const buildspec = parse(synthService({ appRuntime })['buildspec.yml']);

  it('follows CodeBuild\'s buildspec 0.2 syntax', () => {
    validate(buildspec);
    expect(validate.errors ?? []).toEqual([]);
  });

  it('stops before pushing anything when the tests fail', () => {
    for (const phase of ['install', 'pre_build', 'build']) {
      expect({ phase, onFailure: buildspec.phases[phase]['on-failure'] }).toEqual({ phase, onFailure: 'ABORT' });
    }
  });

  it('installs nothing the CodeBuild standard image already has', () => {
    const installCommands: string[] = buildspec.phases.install.commands ?? [];
    expect(installCommands.filter((command) => /pip install|apt-get|yum|curl .*\| *(ba)?sh|dockerd/.test(command))).toEqual([]);
  });
});

describe('the buildspec schema', () => {
  it.each([
    ['a misspelt phase key', { version: 0.2, phases: { build: { command: ['make'] } } }],
    ['buildspec version 0.1 keys', { version: 0.1, environment_variables: {}, phases: { build: { commands: ['make'] } } }],
    ['an unknown report format', { version: 0.2, phases: { build: { commands: ['make'] } }, reports: { tests: { 'files': ['a.xml'], 'file-format': 'JUNIT' } } }],
  ])('refuses %s', (_what, buildspec) => {
    expect(validate(buildspec)).toBe(false);
  });
});
