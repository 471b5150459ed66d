import * as fs from 'fs';
import * as fc from 'fast-check';
import { LogLevel } from 'projen';
import { CodeStarFargateProject, CodeStarFargateProjectOptions, CpuArchitecture } from '../src';
import { serviceOptions, synthService } from './helpers';
import { isDomainName } from '../src/domain';
import { resolveServiceSettings } from '../src/validation';

const TASK_SIZE = { cpu: 256, memory: 512, memoryMiB: 512 };
const ZONE = { hostedZoneId: 'Z0123456789ABCDEFGHIJ', hostedZoneName: 'example.com' };

function settingsOf(overrides: Partial<CodeStarFargateProjectOptions>) {
  return resolveServiceSettings(serviceOptions(overrides), TASK_SIZE);
}

/** One RFC 1035 label: a letter, then letters, digits and inner hyphens, at most 63 characters. */
const label = fc.stringMatching(/^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/);
const hostedZoneId = fc.stringMatching(/^Z[A-Z0-9]{1,31}$/);

describe('hostedZoneId and hostedZoneName', () => {
  it('accepts every zone id "Z" then uppercase letters and digits, and every zone name of RFC 1035 labels', () => {
    fc.assert(fc.property(hostedZoneId, fc.array(label, { minLength: 1, maxLength: 3 }), label, (id, labels, top) => {
      const zoneName = [...labels, top].join('.');
      fc.pre(zoneName.length <= 253);
      expect(() => resolveServiceSettings(serviceOptions({ hostedZoneId: id, hostedZoneName: zoneName, stages: ['dev'], serviceName: 'a' }), TASK_SIZE))
        .not.toThrow(/hostedZone(Id|Name) /);
    }));
  });

  it('refuses every other zone id with a message naming it', () => {
    const badId = fc.string().filter(id => !/^Z[A-Z0-9]{1,31}$/.test(id));
    fc.assert(fc.property(badId, id => {
      expect(() => settingsOf({ ...ZONE, hostedZoneId: id })).toThrow(`hostedZoneId ${JSON.stringify(id)} is not allowed: it must be a Route 53 hosted zone id`);
    }));
  });

  it('refuses every zone name that is not RFC 1035 labels, with a message naming it', () => {
    const badName = fc.oneof(
      fc.string(),
      label.map(name => `${name}.com.`),
      label.map(name => `${name.toUpperCase()}X.com`),
      label.map(name => `-${name}.com`),
      label,
    ).filter(name => !isDomainName(name));
    fc.assert(fc.property(badName, name => {
      expect(() => settingsOf({ ...ZONE, hostedZoneName: name })).toThrow(`hostedZoneName ${JSON.stringify(name)} is not allowed: it must be a domain name of at least two lowercase RFC 1035 labels`);
    }));
  });

  it('refuses one without the other', () => {
    expect(() => settingsOf({ hostedZoneId: ZONE.hostedZoneId })).toThrow('hostedZoneId "Z0123456789ABCDEFGHIJ" is not allowed without hostedZoneName: give both');
    expect(() => settingsOf({ hostedZoneName: 'example.com' })).toThrow('hostedZoneName "example.com" is not allowed without hostedZoneId: give both');
  });

  it('gives each stage its default name, <serviceName>.<zone> for production', () => {
    const stages = settingsOf(ZONE).stageSettings;
    expect(stages.map(stage => [stage.name, stage.domainName])).toEqual([['dev', 'dev.orders-api.example.com'], ['production', 'orders-api.example.com']]);
  });

  it('refuses a zone whose stages\' names ACM cannot certify (over 64 characters), naming the stage', () => {
    expect(() => settingsOf({ ...ZONE, hostedZoneName: `${'a'.repeat(55)}.com` }))
      .toThrow(/hostedZoneName \(the domain of stage "dev"\) "dev\.orders-api\.a{55}\.com" is not allowed in stage "dev": it has 74 characters, and an ACM certificate's domain name may have at most 64/);
  });
});

describe('a stage\'s domain', () => {
  it('accepts every name inside the zone of RFC 1035 labels up to 64 characters', () => {
    fc.assert(fc.property(fc.array(label, { minLength: 0, maxLength: 3 }), labels => {
      const domain = [...labels, 'example.com'].join('.');
      fc.pre(domain.length <= 64);
      const [dev] = settingsOf({ ...ZONE, stageOptions: [{ name: 'dev', domain }] }).stageSettings;
      expect(dev.domainName).toBe(domain);
    }));
  });

  it('refuses every name outside the zone, with a message naming the stage option', () => {
    fc.assert(fc.property(fc.array(label, { minLength: 1, maxLength: 2 }), labels => {
      const domain = [...labels, 'example.org'].join('.');
      fc.pre(domain.length <= 64);
      expect(() => settingsOf({ ...ZONE, stageOptions: [{ name: 'dev', domain }] }))
        .toThrow(`stageOptions[0].domain ${JSON.stringify(domain)} is not allowed in stage "dev": it must be the hosted zone's name or a name inside it`);
    }));
  });

  it('refuses every name that is not lowercase labels, and any name without a zone', () => {
    fc.assert(fc.property(fc.string().filter(name => !isDomainName(name)), domain => {
      expect(() => settingsOf({ ...ZONE, stageOptions: [{ name: 'dev', domain }] })).toThrow(`stageOptions[0].domain ${JSON.stringify(domain)} is not allowed in stage "dev": it must be a domain name of lowercase RFC 1035 labels`);
    }));
    expect(() => settingsOf({ stageOptions: [{ name: 'dev', domain: 'dev.example.com' }] })).toThrow('stageOptions[0].domain "dev.example.com" is not allowed without hostedZoneId and hostedZoneName');
  });
});

describe('architecture and fargateSpot', () => {
  it('refuses ARM64 with Fargate Spot, naming the option, the value and what is allowed', () => {
    expect(() => settingsOf({ architecture: CpuArchitecture.ARM64, fargateSpot: true }))
      .toThrow('fargateSpot true is not allowed with architecture CpuArchitecture.ARM64: Fargate Spot runs only X86_64 Linux tasks, so ECS would never place them. Use architecture CpuArchitecture.X86_64 with Spot, or leave fargateSpot off (false) on ARM64.');
    expect(() => settingsOf({ architecture: CpuArchitecture.ARM64, stageOptions: [{ name: 'dev', fargateSpot: true }, { name: 'production' }] }))
      .toThrow('stageOptions[0].fargateSpot true is not allowed with architecture CpuArchitecture.ARM64: Fargate Spot runs only X86_64 Linux tasks');
    expect(settingsOf({ architecture: CpuArchitecture.ARM64, stageOptions: [{ name: 'dev', fargateSpot: false }] }).stageSettings[0].fargateSpot).toBe(false);
    expect(settingsOf({ architecture: CpuArchitecture.X86_64, fargateSpot: true }).fargateSpot).toBe(true);
  });

  it('writes nothing when it refuses ARM64 with Fargate Spot', () => {
    const options = serviceOptions({ architecture: CpuArchitecture.ARM64, fargateSpot: true });
    expect(() => new CodeStarFargateProject(options)).toThrow(/fargateSpot true is not allowed with architecture CpuArchitecture.ARM64/);
    expect(fs.readdirSync(options.outdir!)).toEqual([]);
  });

  it('accepts both architectures and refuses every other value, naming it', () => {
    for (const architecture of Object.values(CpuArchitecture)) {
      expect(settingsOf({ architecture }).architecture).toBe(architecture);
    }
    fc.assert(fc.property(fc.string().filter(value => !(Object.values(CpuArchitecture) as string[]).includes(value)), value => {
      expect(() => settingsOf({ architecture: value as CpuArchitecture })).toThrow(`architecture ${JSON.stringify(value)} is not allowed: it must be one of CpuArchitecture.X86_64, CpuArchitecture.ARM64`);
    }));
  });

  it('accepts true and false and refuses anything else, for the project and a stage', () => {
    // null, like undefined, means the option is left out.
    fc.assert(fc.property(fc.anything().filter(value => typeof value !== 'boolean' && value !== undefined && value !== null), value => {
      expect(() => settingsOf({ fargateSpot: value as boolean })).toThrow(`fargateSpot ${JSON.stringify(value)} is not allowed: it must be true or false`);
      expect(() => settingsOf({ stageOptions: [{ name: 'dev', fargateSpot: value as boolean }] })).toThrow(`stageOptions[0].fargateSpot ${JSON.stringify(value)} is not allowed: it must be true or false`);
    }), { numRuns: 50 });
  });

  it('puts stages without an approval on Spot, never production unless the stage asks', () => {
    expect(settingsOf({ fargateSpot: true }).stageSettings.map(stage => [stage.name, stage.fargateSpot])).toEqual([['dev', true], ['production', false]]);
    expect(settingsOf({ fargateSpot: true, stageOptions: [{ name: 'dev', approval: true }, { name: 'production', fargateSpot: true }] }).stageSettings
      .map(stage => [stage.name, stage.fargateSpot])).toEqual([['dev', false], ['production', true]]);
  });
});

describe('the generated project', () => {
  it('warns at every synth that production serves plain HTTP without a hosted zone, and not with one', () => {
    const warned = (options: Partial<CodeStarFargateProjectOptions>) => {
      const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      try {
        // projen logs nothing in tests unless asked.
        new CodeStarFargateProject(serviceOptions({ ...options, logging: { level: LogLevel.WARN } }));
        return errors.mock.calls.map(call => call.join(' ')).filter(line => line.includes('plain HTTP'));
      } finally {
        errors.mockRestore();
      }
    };
    expect(warned({})).toEqual([expect.stringContaining('Stage "production" will serve plain HTTP: set hostedZoneId and hostedZoneName')]);
    expect(warned(ZONE)).toEqual([]);
  });

  it('writes nothing when a platform option is refused', () => {
    const options = serviceOptions({ hostedZoneId: 'not-a-zone', hostedZoneName: 'example.com' });
    expect(() => new CodeStarFargateProject(options)).toThrow(/hostedZoneId "not-a-zone" is not allowed/);
    expect(fs.readdirSync(options.outdir!)).toEqual([]);
  });

  it('renders the zone, ARM64, Spot off and a stage\'s own domain into the toolchain, and README costs', () => {
    // Testing.synth writes the files without installing dependencies, which a test's empty folder has no lockfile for.
    const files = synthService({
      ...ZONE,
      architecture: CpuArchitecture.ARM64,
      fargateSpot: false,
      stageOptions: [{ name: 'dev', domain: 'orders-dev.example.com' }, { name: 'production' }],
    });
    const text: string = files['infra/toolchain.generated.ts'];
    expect(text).toContain('hostedZone: { hostedZoneId: "Z0123456789ABCDEFGHIJ", zoneName: "example.com" },');
    expect(text).toContain('architecture: CpuArchitecture.ARM64,');
    // No fargateSpot prop (the toolchain settings' digests name the setting, as they name every one).
    expect(text).not.toMatch(/^\s*fargateSpot:/m);
    expect(synthService({ fargateSpot: true })['infra/toolchain.generated.ts']).toContain('fargateSpot: true,');
    expect(text).toContain('{ name: "dev", domainName: "orders-dev.example.com" }');
    expect(text).toMatch(/import \{ CodeStarFargatePipeline, CodeStarFargatePipelineProps, CpuArchitecture.*\} from 'projen-codestar-fargate';/);
    expect(files['docs/service.md']).toContain('## What a stage costs at rest');
  });
});
