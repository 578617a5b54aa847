import type { OpenApiDocument, Reference, Response } from './openapi.types.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

function response(document: OpenApiDocument, value: Response | Reference): Response {
  if (!('$ref' in value)) return value;
  return document.components.responses[value.$ref.split('/').pop()!] ?? { description: value.$ref };
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1d2330}
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #ccd}code,pre{font:13px ui-monospace,monospace}
pre{background:#f4f5f8;padding:.6rem;overflow:auto;white-space:pre-wrap}
table{border-collapse:collapse;width:100%;margin:.4rem 0}td,th{border:1px solid #dde;padding:.25rem .5rem;text-align:left;vertical-align:top}
.op{border:1px solid #ccd;border-radius:6px;padding:.2rem 1rem;margin:1rem 0}.method{background:#2d6cdf;color:#fff;border-radius:4px;padding:0 .4rem;font-weight:600}`;

/**
 * A self-contained HTML rendering of the OpenAPI document (no scripts, no
 * CDN): the route table, then every operation with its parameters and
 * responses. Generated from the same document /openapi.json serves.
 */
export function renderDocsPage(document: OpenApiDocument): string {
  const routes = document['x-zonemesh-routes']
    .map(
      (r, i) =>
        `<tr><td>${i}</td><td><code>${esc(r.name)}</code></td><td>${esc([r.match.path ?? 'any path', ...(r.match.methods ? [r.match.methods.join('|')] : []), ...(r.match.headers ?? [])].join('; '))}</td>` +
        `<td>${esc(r.action.cluster)}</td><td>${esc(Object.entries(r.action.versions).map(([v, w]) => `${v}: ${w}`).join(', '))}</td><td>${esc(r.action.timeout)}</td></tr>`,
    )
    .join('');
  const operations = Object.entries(document.paths)
    .flatMap(([path, item]) => (item.get ? [[path, item.get] as const] : []))
    .map(([path, op]) => {
      const params = (op.parameters ?? [])
        .map((p) => `<tr><td><code>${esc(p.name)}</code></td><td>${p.in}</td><td>${p.required ? 'yes' : 'no'}</td><td>${esc(p.description ?? '')}</td><td><code>${esc(JSON.stringify(p.schema))}</code></td></tr>`)
        .join('');
      const responses = Object.entries(op.responses)
        .map(([status, value]) => `<tr><td>${esc(status)}</td><td>${esc(response(document, value).description)}</td></tr>`)
        .join('');
      return (
        `<div class="op" id="${esc(op.operationId)}"><h3><span class="method">GET</span> <code>${esc(path)}</code></h3><p>${esc(op.summary)}</p>` +
        (op.description ? `<pre>${esc(op.description)}</pre>` : '') +
        (params ? `<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>required</th><th>description</th><th>schema</th></tr>${params}</table>` : '') +
        `<h4>Responses</h4><table><tr><th>status</th><th>description</th></tr>${responses}</table></div>`
      );
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(document.info.title)} — API</title><style>${STYLE}</style></head>
<body><h1>${esc(document.info.title)} <small>${esc(document.info.version)}</small></h1>
<p>${esc(document.info.description ?? '')}</p><p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI ${esc(document.openapi)}).</p>
<h2>Route table</h2><table><tr><th>#</th><th>route</th><th>match</th><th>cluster</th><th>versions</th><th>timeout</th></tr>${routes}</table>
<h2>Operations</h2>
${operations}
<h2>Schemas</h2><pre>${esc(JSON.stringify(document.components.schemas, null, 2))}</pre>
</body></html>
`;
}
