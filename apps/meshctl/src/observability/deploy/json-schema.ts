import { createRequire } from 'node:module';
import { join } from 'node:path';
import { WORKSPACE_ROOT } from '../../workspace.js';

const require = createRequire(join(WORKSPACE_ROOT, 'package.json'));

/** One schema violation, path-qualified. */
export interface SchemaError {
  readonly path: string;
  readonly message: string;
}

interface AjvLike {
  compile(schema: object): ((data: unknown) => boolean) & { errors?: { instancePath?: string; dataPath?: string; message?: string; params?: unknown }[] | null };
}

/**
 * Compiles `schema` with whatever ajv the workspace resolves (6 or 8; both do
 * draft-07, which the Compose Specification uses). Formats are not checked:
 * the Compose schema names formats (duration, ports...) that ajv does not know.
 */
export function compileSchema(schema: object): (data: unknown) => SchemaError[] {
  const Ajv = require('ajv') as { new (options: object): AjvLike; default?: new (options: object) => AjvLike };
  const Ctor = Ajv.default ?? Ajv;
  const { $schema: _ignored, ...body } = schema as { $schema?: string };
  const ajv = new Ctor({ allErrors: true, strict: false, validateFormats: false, format: false, unknownFormats: 'ignore', validateSchema: false, logger: false });
  const validate = ajv.compile(body);
  return (data) => {
    if (validate(data)) return [];
    return (validate.errors ?? []).map((e) => ({
      path: e.instancePath ?? e.dataPath ?? '',
      message: `${e.message ?? 'invalid'}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
    }));
  };
}

/**
 * The Compose Specification JSON schema: $ZONEMESH_COMPOSE_SCHEMA if set,
 * else the copy the `dclint` package ships (schemas/compose.schema.json,
 * from compose-spec/compose-spec). Undefined when neither is available.
 */
export function composeSchemaPath(): string | undefined {
  if (process.env.ZONEMESH_COMPOSE_SCHEMA) return process.env.ZONEMESH_COMPOSE_SCHEMA;
  try {
    return join(require.resolve('dclint/package.json'), '..', 'schemas', 'compose.schema.json');
  } catch {
    return undefined;
  }
}
