/** The subset of OpenAPI 3.1 the gateway writes; typed so the generator cannot drift from the spec's shape. */
export interface OpenApiDocument {
  readonly openapi: '3.1.0';
  readonly info: { readonly title: string; readonly version: string; readonly description?: string };
  readonly servers?: readonly { readonly url: string }[];
  readonly paths: Readonly<Record<string, PathItem>>;
  readonly components: { readonly schemas: Readonly<Record<string, JsonSchema>>; readonly responses: Readonly<Record<string, Response>> };
  /** The full route table, in match order (OpenAPI allows `x-` extensions anywhere). */
  readonly 'x-zonemesh-routes': readonly RouteDescription[];
}

export interface PathItem {
  readonly get?: Operation;
}

export interface Operation {
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  readonly parameters?: readonly Parameter[];
  readonly responses: Readonly<Record<string, Response | Reference>>;
  /** Names of the routes a request to this operation can take, in match order. */
  readonly 'x-zonemesh-routes'?: readonly string[];
}

export interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'header' | 'query';
  readonly required?: boolean;
  readonly description?: string;
  readonly schema: JsonSchema;
}

export interface Response {
  readonly description: string;
  readonly content?: Readonly<Record<string, { readonly schema: JsonSchema }>>;
}

export interface Reference {
  readonly $ref: string;
}

/** JSON Schema 2020-12 as OpenAPI 3.1 embeds it (only what we use). */
export type JsonSchema =
  | Reference
  | {
      readonly type?: 'object' | 'string' | 'number' | 'integer' | 'boolean' | 'array' | readonly string[];
      readonly description?: string;
      readonly properties?: Readonly<Record<string, JsonSchema>>;
      readonly required?: readonly string[];
      readonly items?: JsonSchema;
      readonly enum?: readonly string[];
      readonly pattern?: string;
      readonly maxLength?: number;
      readonly additionalProperties?: boolean | JsonSchema;
    };

/** One route as the document shows it: match and action in words a reader of mesh.yaml recognises. */
export interface RouteDescription {
  readonly name: string;
  readonly match: {
    readonly path?: string;
    readonly methods?: readonly string[];
    readonly headers?: readonly string[];
  };
  readonly action: {
    readonly cluster: string;
    readonly versions: Readonly<Record<string, number>>;
    readonly timeout: string;
  };
}
