import { readFile } from 'node:fs/promises';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { ConfigError } from './config-error.js';

/** A path into a parsed document: map keys and list indexes, e.g. `['clusters', 0, 'lb_policy']`. */
export type DocumentPath = readonly (string | number)[];

/**
 * A parsed YAML (or JSON) file that still knows where each value was
 * written, so a tool can say `envoy.yaml:23` next to a setting.
 */
export interface YamlSource {
  readonly file: string;
  readonly value: unknown;
  /** The 1-based line of the value (or key) at `path`; undefined when the document has no such node. */
  lineOf(path: DocumentPath): number | undefined;
}

/** Parses `text`; broken YAML is one ConfigError naming the file and line, never a parser stack. */
export function parseYamlSource(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const first = document.errors[0];
  if (first) {
    const line = lineCounter.linePos(first.pos[0]).line;
    throw new ConfigError('', `${file}:${line} is not valid YAML: ${first.message.split('\n')[0]}`);
  }
  return {
    file,
    value: document.toJS(),
    lineOf(path) {
      const node: unknown = document.getIn(path, true);
      const offset = isNode(node) ? node.range?.[0] : undefined;
      return offset === undefined ? undefined : lineCounter.linePos(offset).line;
    },
  };
}

/** Reads and parses a file; an unreadable file is one ConfigError naming it. */
export async function readYamlSource(path: string): Promise<YamlSource> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError('', `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return parseYamlSource(text, path);
}
