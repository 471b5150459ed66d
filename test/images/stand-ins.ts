// Stand-ins for the generated Dockerfiles' base images, which cannot be pulled here.
// They prove build mechanics, image settings and HTTP behaviour, not the real base's runtime version:
// the Node stand-in runs this machine's Node, the Java one a JRE jlinked from this machine's JDK.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Buildah } from './buildah';
import { run } from './service';

/** Debian release of the stand-ins' root: the one node's `-bookworm-slim` images are built on. */
const DEBIAN_SUITE = 'bookworm';
/**
 * The Debian mirror this machine's apt already uses (deb822 `.sources` or a
 * `sources.list` line), so the stand-in comes from where the host's packages
 * do; undefined lets debootstrap use its own default.
 */
function hostDebianMirror(): string | undefined {
  const files = [
    ...(fs.existsSync('/etc/apt/sources.list.d') ? fs.readdirSync('/etc/apt/sources.list.d').filter((file) => /\.(sources|list)$/.test(file)).map((file) => path.join('/etc/apt/sources.list.d', file)) : []),
    '/etc/apt/sources.list',
  ].filter((file) => fs.existsSync(file));
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf-8');
    const match = /^URIs:\s*(\S+\/debian)\s*$/m.exec(text) ?? /^deb\s+(?:\[[^\]]*\]\s+)?(\S+\/debian)\s/m.exec(text);
    if (match) {
      return match[1];
    }
  }
  return undefined;
}

const DEBIAN_MIRROR = process.env.CSF_DEBIAN_MIRROR ?? hostDebianMirror();
/** Debian's own CA bundle path, also where curl, npm (through the npmrc below) and Node look. */
const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const MINBASE_TAG = 'localhost/csf-stand-in-minbase:latest';
/** Where the eclipse-temurin images keep their JRE. */
const JAVA_HOME = '/opt/java/openjdk';
/** What a Spring Boot web app with actuator needs of the JDK; no jdk.compiler, so no javac, as in a JRE image. */
const JRE_MODULES = [
  'java.se', 'jdk.unsupported', 'jdk.management', 'jdk.crypto.cryptoki', 'jdk.zipfs',
  'jdk.charsets', 'jdk.localedata', 'jdk.naming.dns', 'jdk.net', 'jdk.jfr',
];

/**
 * The Dockerfile with the digests taken off its FROM images (`name:tag@sha256:...` becomes `name:tag`): a stand-in
 * cannot have the digest of the pinned base, which names that base's own content. Nothing else changes.
 */
export function withoutBaseDigests(dockerfile: string): string {
  return dockerfile.replace(/^(FROM\s+(?:--platform=\S+\s+)?\S+?)@sha256:[0-9a-f]{64}(?=\s|$)/gim, '$1');
}

/** The images a Dockerfile builds on: its FROM images, without references to its own earlier stages. */
export function baseImagesOf(dockerfile: string): string[] {
  const stages = new Set<string>();
  const bases = new Set<string>();
  for (const match of dockerfile.matchAll(/^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?\s*$/gim)) {
    const [, image, stage] = match;
    if (!stages.has(image.toLowerCase())) {
      bases.add(image);
    }
    if (stage) {
      stages.add(stage.toLowerCase());
    }
  }
  return [...bases];
}

/** Folder kept between runs for downloaded Debian packages, so a rerun does not fetch them again. */
export function debootstrapCacheDir(): string {
  const dir = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'projen-codestar-fargate', 'debootstrap');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Builds stand-in base images in a buildah storage, on one minimal Debian root made once per run. */
export class StandInBases {
  constructor(private readonly buildah: Buildah) {}

  /**
   * `debootstrap --variant=minbase` with curl (the eclipse-temurin images ship it and the Java
   * service's container health check uses it), the host's CA bundle, and no package lists or docs.
   */
  public minbase(): string {
    if (this.buildah.imageExists(MINBASE_TAG)) {
      return MINBASE_TAG;
    }
    const rootfs = path.join(this.buildah.dir, 'debootstrap-root');
    fs.rmSync(rootfs, { recursive: true, force: true });
    run('debootstrap', ['--variant=minbase', `--cache-dir=${debootstrapCacheDir()}`, '--include=curl', DEBIAN_SUITE, rootfs, ...(DEBIAN_MIRROR ? [DEBIAN_MIRROR] : [])], this.buildah.dir, {
      // debootstrap calls chroot and friends from sbin.
      PATH: `${process.env.PATH}:/usr/local/sbin:/usr/sbin:/sbin`,
    });
    for (const prunable of ['var/cache/apt/archives', 'var/lib/apt/lists', 'usr/share/doc', 'usr/share/man', 'usr/share/info', 'usr/share/locale']) {
      for (const entry of fs.readdirSync(path.join(rootfs, prunable), { withFileTypes: true })) {
        if (entry.name !== 'partial' && entry.name !== 'lock') {
          fs.rmSync(path.join(rootfs, prunable, entry.name), { recursive: true, force: true });
        }
      }
    }
    // The host's bundle: it trusts whatever outbound HTTPS needs on this machine.
    fs.mkdirSync(path.dirname(path.join(rootfs, CA_BUNDLE)), { recursive: true });
    fs.copyFileSync(CA_BUNDLE, path.join(rootfs, CA_BUNDLE));

    const container = this.buildah.exec(['from', 'scratch']);
    execFileSync('cp', ['-a', `${rootfs}/.`, `${this.buildah.mount(container)}/`]);
    fs.rmSync(rootfs, { recursive: true, force: true });
    this.buildah.exec(['config', '--env', PATH_ENV, '--cmd', 'bash', container]);
    this.buildah.commit(container, MINBASE_TAG);
    return MINBASE_TAG;
  }

  /**
   * Like the Docker official `node:*-slim` image: Node and npm in /usr/local, a `node` user with
   * uid 1000, no curl; npm trusts the CA bundle through its global npmrc so `npm ci` works in a build.
   */
  public node(tag: string): void {
    const container = this.buildah.from(this.minbase());
    const root = this.buildah.mount(container);
    const nodeBinary = fs.realpathSync(execFileSync('which', ['node'], { encoding: 'utf-8' }).trim());
    const npmPackage = path.resolve(fs.realpathSync(execFileSync('which', ['npm'], { encoding: 'utf-8' }).trim()), '..', '..');
    fs.copyFileSync(nodeBinary, path.join(root, 'usr/local/bin/node'));
    fs.chmodSync(path.join(root, 'usr/local/bin/node'), 0o755);
    fs.mkdirSync(path.join(root, 'usr/local/lib/node_modules'), { recursive: true });
    execFileSync('cp', ['-a', npmPackage, path.join(root, 'usr/local/lib/node_modules/npm')]);
    fs.symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', path.join(root, 'usr/local/bin/npm'));
    fs.symlinkSync('../lib/node_modules/npm/bin/npx-cli.js', path.join(root, 'usr/local/bin/npx'));
    fs.mkdirSync(path.join(root, 'usr/local/etc'), { recursive: true });
    fs.writeFileSync(path.join(root, 'usr/local/etc/npmrc'), `cafile=${CA_BUNDLE}\n`);
    this.buildah.runIn(container, ['sh', '-c', [
      'groupadd --gid 1000 node',
      'useradd --uid 1000 --gid node --shell /bin/bash --create-home node',
      // The slim image has no curl: a Node health check must not rely on it.
      'dpkg --purge curl >/dev/null',
    ].join(' && ')]);
    this.buildah.exec(['config', '--env', PATH_ENV, '--env', `NODE_EXTRA_CA_CERTS=${CA_BUNDLE}`, '--cmd', 'node', container]);
    this.buildah.commit(container, tag);
  }

  /**
   * Like the eclipse-temurin JRE images: a JRE in /opt/java/openjdk (jlinked from `jdkHome`) with its
   * default CDS archive (their Dockerfiles run `java -Xshare:dump`; an AppCDS archive builds on it),
   * JAVA_HOME and PATH pointing at it, and an `ubuntu` user with uid 1000.
   */
  public java(tag: string, jdkHome: string): void {
    const container = this.buildah.from(this.minbase());
    const root = this.buildah.mount(container);
    fs.mkdirSync(path.join(root, 'opt/java'), { recursive: true });
    run(path.join(jdkHome, 'bin', 'jlink'), [
      '--add-modules', JRE_MODULES.join(','), '--strip-debug', '--generate-cds-archive', '--no-header-files', '--no-man-pages',
      '--output', path.join(root, JAVA_HOME),
    ], root);
    this.buildah.runIn(container, ['sh', '-c', 'groupadd --gid 1000 ubuntu && useradd --uid 1000 --gid ubuntu --shell /bin/bash --create-home ubuntu']);
    this.buildah.exec(['config', '--env', `JAVA_HOME=${JAVA_HOME}`, '--env', `PATH=${JAVA_HOME}/bin:${PATH_ENV.slice('PATH='.length)}`, container]);
    this.buildah.commit(container, tag);
  }

  /**
   * Like the Docker official `golang:*` image: this machine's Go toolchain in /usr/local/go (its tests, API lists and
   * docs left out), on PATH, with GOTOOLCHAIN=local so a build never fetches another toolchain. It is the host's Go
   * release, not the tag's.
   */
  public golang(tag: string): void {
    const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf-8' }).trim();
    const container = this.buildah.from(this.minbase());
    const target = path.join(this.buildah.mount(container), 'usr/local/go');
    fs.mkdirSync(target, { recursive: true });
    for (const entry of fs.readdirSync(goroot).filter((name) => !['test', 'api', 'doc', 'misc'].includes(name))) {
      execFileSync('cp', ['-a', path.join(goroot, entry), target]);
    }
    this.buildah.exec(['config', '--env', `PATH=/usr/local/go/bin:${PATH_ENV.slice('PATH='.length)}`, '--env', 'GOTOOLCHAIN=local', '--workingdir', '/go', container]);
    this.buildah.commit(container, tag);
  }

  /**
   * Like the Docker official `python:*-slim` image: a Python 3 on PATH as `python` and `python3`, no curl. It is
   * Debian's python3, not the tag's release.
   */
  public python(tag: string): void {
    const container = this.buildah.from(this.minbase());
    this.buildah.runIn(container, ['sh', '-c', [
      'apt-get update -qq',
      'apt-get install -y -qq --no-install-recommends python3 >/dev/null',
      'ln -s /usr/bin/python3 /usr/local/bin/python',
      'rm -rf /var/lib/apt/lists/*',
      'dpkg --purge curl >/dev/null',
    ].join(' && ')]);
    this.buildah.exec(['config', '--env', PATH_ENV, '--cmd', 'python3', container]);
    this.buildah.commit(container, tag);
  }
}
