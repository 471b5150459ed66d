import * as fs from 'fs';
import { isMap, isScalar, isSeq, LineCounter, Node, parseDocument } from 'yaml';
import { OptionError } from '../errors';

/** What Copilot substitutes for `${COPILOT_APPLICATION_NAME}` and `${COPILOT_ENVIRONMENT_NAME}` where a value names them. */
export interface ManifestNames {
  /** The application `copilot/.workspace` names, if it names one. */
  readonly application?: string;
  /** The environment a field is read for: set under `environments.<name>`, or by `forEnvironment`. */
  readonly environment?: string;
}

/** Copilot's `${NAME}` in a value, escaped as `\${NAME}` (internal/pkg/manifest/interpolate.go). */
const VARIABLE = /(\\?)\$\{([_a-zA-Z][_a-zA-Z0-9]*)\}/g;
const APPLICATION_NAME = 'COPILOT_APPLICATION_NAME';
const ENVIRONMENT_NAME = 'COPILOT_ENVIRONMENT_NAME';

/**
 * One field of a Copilot manifest with where it was written, so a refusal can name the file, line and field path
 * (`copilot/api/manifest.yml:12: environments.prod.count ...`).
 */
export class ManifestField {
  /** Reads a manifest, refusing malformed YAML with the file and line of the first error. */
  public static read(file: string, shownFile: string, names: ManifestNames = {}): ManifestField {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf-8');
    } catch (error) {
      throw new OptionError(`copilotManifest ${JSON.stringify(shownFile)} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}): give the path of a Copilot service manifest, e.g. copilot/api/manifest.yml, relative to the folder of projen new.`);
    }
    const lines = new LineCounter();
    const document = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true });
    if (document.errors.length > 0) {
      const [first] = document.errors;
      const line = first.linePos?.[0].line ?? lines.linePos(first.pos[0]).line;
      throw new OptionError(`${shownFile}:${line}: the manifest is not valid YAML: ${first.message.split('\n')[0]}`);
    }
    return new ManifestField(shownFile, '', document.contents ?? undefined, lines, undefined, names);
  }

  private constructor(
    /** The manifest's path as the user gave it. */
    public readonly file: string,
    /** The field's path in the manifest, e.g. `environments.prod.count.range`; empty for the whole manifest. */
    public readonly path: string,
    private readonly node: Node | undefined,
    private readonly lines: LineCounter,
    /** The key the field is written under: its line is the field's (a map's own range starts at its first key). */
    private readonly key: Node | undefined,
    private readonly names: ManifestNames,
  ) {}

  /** This field as Copilot reads it for the environment `name`. */
  public forEnvironment(name: string): ManifestField {
    return new ManifestField(this.file, this.path, this.node, this.lines, this.key, { ...this.names, environment: name });
  }

  /** Whether the value names `${COPILOT_ENVIRONMENT_NAME}` while no environment is known: it differs per stage. */
  public get differsPerEnvironment(): boolean {
    return this.names.environment === undefined
      && [...JSON.stringify(this.node?.toJSON() ?? null).matchAll(VARIABLE)].some(([, escaped, name]) => escaped === '' && name === ENVIRONMENT_NAME);
  }

  /** The line the field starts on (1-based). */
  public get line(): number {
    const start = (this.key ?? this.node)?.range?.[0];
    return start !== undefined ? this.lines.linePos(start).line : 1;
  }

  /** `file:line` of the field, for messages. */
  public get where(): string {
    return `${this.file}:${this.line}`;
  }

  /** Whether the field is written (a `null` value counts as not written, as Copilot reads it). */
  public get present(): boolean {
    return this.node !== undefined && !(isScalar(this.node) && this.node.value === null);
  }

  public get isMap(): boolean {
    return isMap(this.node);
  }

  public get isList(): boolean {
    return isSeq(this.node);
  }

  /** The field's value as plain data, its text values with `${...}` substituted as Copilot does. */
  public get value(): unknown {
    return this.substituted(this.node?.toJSON());
  }

  /** The field under `key` of this map (absent when this is not a map or has no such key). */
  public get(key: string): ManifestField {
    const pair = isMap(this.node) ? this.node.items.find((item) => keyText(item.key) === key) : undefined;
    const value = pair?.value as Node | undefined ?? undefined;
    return new ManifestField(this.file, this.childPath(key), value, this.lines, pair?.key as Node | undefined, this.namesOf(key));
  }

  /** The fields of this map, in the manifest's order; refuses anything but a map. */
  public entries(what: string): Array<[string, ManifestField]> {
    if (!this.present) {
      return [];
    }
    if (!isMap(this.node)) {
      this.refuse(`it must be a map of ${what}`);
    }
    return this.node.items.map((pair) => {
      const key = keyText(pair.key);
      const value = pair.value as Node | undefined ?? undefined;
      return [key, new ManifestField(this.file, this.childPath(key), value, this.lines, pair.key as Node, this.namesOf(key))];
    });
  }

  /** The items of this list; refuses anything but a list. */
  public items(what: string): ManifestField[] {
    if (!isSeq(this.node)) {
      this.refuse(`it must be a list of ${what}`);
    }
    return this.node.items.map((item, index) => new ManifestField(this.file, `${this.path}[${index}]`, item as Node, this.lines, undefined, this.names));
  }

  /** The keys of this map, in order. */
  public keys(): string[] {
    return this.isMap ? this.entries('fields').map(([key]) => key) : [];
  }

  public string(what = 'a string'): string {
    const value = this.value;
    if (typeof value !== 'string') {
      this.refuse(`it must be ${what}`);
    }
    return value;
  }

  /** A number, refusing text such as `"512"` or `512MB` that Copilot would not read as one. */
  public number(what = 'a number'): number {
    const value = this.value;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.refuse(`it must be ${what}`);
    }
    return value;
  }

  public boolean(): boolean {
    const value = this.value;
    if (typeof value !== 'boolean') {
      this.refuse('it must be true or false');
    }
    return value;
  }

  /** Throws an OptionError naming the file, line, field and value, then what is allowed. */
  public refuse(allowed: string): never {
    // The value as written: substituting it could itself be what is refused.
    const subject = this.path === '' ? 'the manifest' : `${this.path} ${JSON.stringify(this.node?.toJSON())}`;
    throw new OptionError(`${this.where}: ${subject} is not allowed: ${allowed}.`);
  }

  /** The fields under `environments.<name>` are read for that environment. */
  private namesOf(key: string): ManifestNames {
    return this.path === 'environments' ? { ...this.names, environment: key } : this.names;
  }

  private substituted(value: unknown): unknown {
    if (typeof value === 'string') {
      return value.replace(VARIABLE, (_, escaped: string, name: string) => escaped !== '' ? `\${${name}}` : this.variable(name));
    }
    if (Array.isArray(value)) {
      return value.map((item) => this.substituted(item));
    }
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.substituted(item)]));
    }
    return value;
  }

  private variable(name: string): string {
    if (name === APPLICATION_NAME) {
      return this.names.application ?? this.refuse(`\${${name}} is the application copilot/.workspace names, and it names none here (application: <name>)`);
    }
    if (name === ENVIRONMENT_NAME) {
      return this.names.environment ?? this.refuse(`\${${name}} differs per stage, and only variables and secrets are read per stage from the top level; write each environment's value under environments.<name>`);
    }
    return this.refuse(`\${${name}} is a shell variable Copilot read at each deploy; write its value in the manifest (or set it in .projenrc.ts after projen new)`);
  }

  private childPath(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`;
  }
}

/** A map key as the text Copilot reads it by. */
function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}
