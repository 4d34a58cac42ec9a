import { escapeHtml } from './escape';

/** /docs: the API reference rendered from the OpenAPI document on the server; no remote scripts, works offline. */
type Doc = {
  info: { title: string; version: string; description?: string };
  paths: Record<
    string,
    Record<
      string,
      {
        summary?: string;
        description?: string;
        requestBody?: unknown;
        responses?: Record<string, { description?: string }>;
        parameters?: { name: string; in: string; required?: boolean; description?: string }[];
      }
    >
  >;
  components?: { schemas?: Record<string, unknown> };
};

const refs = (value: unknown): string[] => [...JSON.stringify(value ?? null).matchAll(/#\/components\/schemas\/(\w+)/g)].map((m) => m[1]!);

const schemaLinks = (value: unknown) => [...new Set(refs(value))].map((name) => `<a href="#schema-${escapeHtml(name)}">${escapeHtml(name)}</a>`).join(', ');

export function renderDocs(doc: Doc): string {
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const params = (op.parameters ?? [])
        .map(
          (p) =>
            `<li><code>${escapeHtml(p.name)}</code> (${p.in}${p.required ? ', required' : ''})${p.description ? ` ${escapeHtml(p.description)}` : ''}</li>`,
        )
        .join('');
      const responses = Object.entries(op.responses ?? {})
        .map(([status, r]) => `<li><b>${status}</b> ${escapeHtml(r.description ?? '')} ${schemaLinks(r)}</li>`)
        .join('');
      return `<section class="op"><h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>
        <p><b>${escapeHtml(op.summary ?? '')}</b></p>${op.description ? `<p>${escapeHtml(op.description)}</p>` : ''}
        ${params ? `<h4>Parameters</h4><ul>${params}</ul>` : ''}
        ${op.requestBody ? `<h4>Body</h4><p>${schemaLinks(op.requestBody)}</p>` : ''}
        <h4>Responses</h4><ul>${responses}</ul></section>`;
    }),
  );
  const schemas = Object.entries(doc.components?.schemas ?? {})
    .map(
      ([name, schema]) =>
        `<details id="schema-${escapeHtml(name)}"><summary>${escapeHtml(name)}</summary><pre>${escapeHtml(JSON.stringify(schema, null, 2))}</pre></details>`,
    )
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(doc.info.title)} API</title><style>
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1f}
code,pre{font:13px ui-monospace,monospace}pre{background:#f4f4f6;padding:.75rem;overflow:auto}
.op{border-top:1px solid #ddd;padding:.5rem 0}.m{font:bold 12px ui-monospace;padding:2px 6px;border-radius:3px;color:#fff;background:#555}
.get{background:#1f6feb}.post{background:#1a7f37}h4{margin:.5rem 0 .25rem}
</style></head><body>
<h1>${escapeHtml(doc.info.title)} <small>${escapeHtml(doc.info.version)}</small></h1>
<p>${escapeHtml(doc.info.description ?? '')}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</p>
<h2 id="auth">Authentication</h2><p>Every <code>/v1</code> call takes <code>Authorization: Bearer flk_…</code>. A key belongs to one organization and has one role.</p>
<h2 id="errors">Errors</h2><p>Every failure is <code>{"error": {"code", "message", "requestId", "fields"?}}</code>; branch on <code>code</code>.</p>
<h2 id="checksum">List checksum</h2><p>The sum modulo 2<sup>256</sup> of SHA-256(<code>kind:value:status</code>) over every entry, as 64 hex digits (all zeros for an empty list).
Order does not matter, so a client updates it per change: subtract the old entry's digest, add the new one's.</p>
<h2 id="signatures">Signatures</h2><p>Ed25519, keys at <a href="/.well-known/flagline-keys.json">/.well-known/flagline-keys.json</a>. Signed statements:
<code>flagline-list-v1:{version}:{checksum}</code> (every snapshot and delta page), <code>flagline-changes-v1:{since}:{next}:{sha256 of the changes}</code>
(delta pages), <code>flagline-body-v1:{format}:{version}:{sha256 of the bytes}</code> (snapshot files, header Flagline-Body-Signature),
<code>flagline-file-v1:{format}:{version}:{sha256 of every byte before the signature line}</code> (every snapshot file's own last
<code>flagline-file-v1 format=F version=V keyid=K sig=S</code> line, so a file verifies offline, the first download included),
<code>flagline-prefixes-v1:{version}:{checksum}</code> (the prefix set) and
<code>flagline-rotation-v1:{old key fingerprint}:{new key fingerprint}:{at}</code> (signed by the old key; served at
<a href="/.well-known/flagline-key-rotations.json">/.well-known/flagline-key-rotations.json</a>). A fingerprint is the SHA-256 of the raw
public key, in hex. Pin one key; follow rotations from it; verify before applying.</p>
<h2 id="taxii">TAXII 2.1</h2><p>Discovery at <code>/taxii2/</code>, one API root <code>/taxii2/api/</code> with one read-only collection of STIX 2.1 indicators;
<code>objects/</code> and <code>manifest/</code> page by version (<code>next</code>) and take <code>added_after</code>. A removed indicator comes back with
<code>revoked: true</code>. Authenticate with the bearer key, or Basic auth with the key as password.</p>
<h2>Endpoints</h2>${operations.join('')}
<h2>Schemas</h2>${schemas}
</body></html>`;
}
