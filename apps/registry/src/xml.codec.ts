import { XMLParser } from 'fast-xml-parser';

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

/** Jackson JSON keys whose XML element name differs (Eureka's XML converter quirks). */
const XML_NAMES: Record<string, string> = { overriddenStatus: 'overriddenstatus' };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}

/** One element of a Jackson-shaped JSON tree as Eureka's XML (see encodeXml). */
export function xmlElement(name: string, value: unknown): string {
  const tag = XML_NAMES[name] ?? name;
  if (Array.isArray(value)) return value.map((item) => xmlElement(name, item)).join('');
  if (typeof value !== 'object' || value === null) return `<${tag}>${escapeXml(String(value))}</${tag}>`;
  let attributes = '';
  let children = '';
  let text: string | undefined;
  for (const [key, child] of Object.entries(value)) {
    if (key === '$') text = escapeXml(String(child));
    else if (key.startsWith('@')) attributes += ` ${key.slice(1)}="${escapeXml(String(child))}"`;
    else children += xmlElement(key, child);
  }
  const body = text ?? children;
  return body === '' ? `<${tag}${attributes}/>` : `<${tag}${attributes}>${body}</${tag}>`;
}

/**
 * Renders a Jackson-shaped JSON tree (`{"applications":{...}}`) as Eureka's
 * XML: `$` becomes text, `@x` an attribute (`<port enabled="true">8080</port>`),
 * arrays repeat their element. Keys already carry the `__` escaping.
 */
export function encodeXml(tree: Record<string, unknown>): string {
  const [root, value] = Object.entries(tree)[0];
  return `${XML_DECLARATION}${xmlElement(root, value)}`;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '$',
  // Keep every value a string: the instance decoder is lenient about types anyway.
  parseTagValue: false,
  parseAttributeValue: false,
});

/** A document type declaration: where entities (billion laughs, external ones) are declared. */
const DOCTYPE = /<!DOCTYPE|<!ENTITY/i;

/**
 * Parses an XML register body into the same tree shape as the JSON one
 * (`{instance:{...}}`). Eureka bodies never declare a DOCTYPE, so one is
 * refused before parsing: only XML's five predefined entities (`&amp;`
 * and its kin) are ever expanded. Element names `__proto__` and
 * `constructor` are renamed or refused by fast-xml-parser itself.
 */
export function decodeXml(text: string): unknown {
  if (DOCTYPE.test(text)) throw new Error('XML with a DOCTYPE or entity declaration is not accepted');
  return parser.parse(text);
}
