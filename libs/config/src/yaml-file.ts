import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from './config-error.js';

/**
 * Reads a YAML (or JSON) configuration file into an untyped tree for the
 * readers of config-reader.ts. An unreadable file or broken YAML is one
 * ConfigError naming the file, never a parser stack.
 */
export async function readYamlFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError('', `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    return parseYaml(text);
  } catch (error) {
    throw new ConfigError('', `${path} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
}
