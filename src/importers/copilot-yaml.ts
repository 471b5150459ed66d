import * as fs from 'fs';
import { isMap, isScalar, isSeq, LineCounter, Node, parseDocument } from 'yaml';
import { OptionError } from '../errors';

/**
 * One field of a Copilot manifest with where it was written, so a refusal can name the file, line and field path
 * (`copilot/api/manifest.yml:12: environments.prod.count ...`).
 */
export class ManifestField {
  /** Reads a manifest, refusing malformed YAML with the file and line of the first error. */
  public static read(file: string, shownFile: string): ManifestField {
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
    return new ManifestField(shownFile, '', document.contents ?? undefined, lines, undefined);
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
  ) {}

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

  /** The field's value as plain data. */
  public get value(): unknown {
    return this.node?.toJSON();
  }

  /** The field under `key` of this map (absent when this is not a map or has no such key). */
  public get(key: string): ManifestField {
    const pair = isMap(this.node) ? this.node.items.find((item) => keyText(item.key) === key) : undefined;
    return new ManifestField(this.file, this.childPath(key), pair?.value as Node | undefined ?? undefined, this.lines, pair?.key as Node | undefined);
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
      return [key, new ManifestField(this.file, this.childPath(key), pair.value as Node | undefined ?? undefined, this.lines, pair.key as Node)];
    });
  }

  /** The items of this list; refuses anything but a list. */
  public items(what: string): ManifestField[] {
    if (!isSeq(this.node)) {
      this.refuse(`it must be a list of ${what}`);
    }
    return this.node.items.map((item, index) => new ManifestField(this.file, `${this.path}[${index}]`, item as Node, this.lines, undefined));
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
    const subject = this.path === '' ? 'the manifest' : `${this.path} ${JSON.stringify(this.value)}`;
    throw new OptionError(`${this.where}: ${subject} is not allowed: ${allowed}.`);
  }

  private childPath(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`;
  }
}

/** A map key as the text Copilot reads it by. */
function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}
