// Writes src/api/schema.gen.ts, the REST API's TypeScript types, from ../docs/openapi.json
// (`npm run gen:types`; `make api-types` regenerates the spec from the server first).
// `--check` writes nothing and fails when the committed file differs from a fresh one.
// The header carries the spec's hash, so tests/ui/test_web_types.py tells a stale file
// without Node; keep the hashing (sha256 of the text with LF line endings) in step with it.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import openapiTS, { astToString } from "openapi-typescript";

const specUrl = new URL("../../docs/openapi.json", import.meta.url);
const outUrl = new URL("../src/api/schema.gen.ts", import.meta.url);

const spec = readFileSync(specUrl, "utf8").replace(/\r\n/g, "\n");
const hash = createHash("sha256").update(spec).digest("hex");
// The spec's `required` decides what is optional: a request field with a default stays
// optional (the server fills it in), a response field is required because the server always
// sends it. openapi-typescript's default would make every defaulted field required.
const ast = await openapiTS(JSON.parse(spec), { defaultNonNullable: false });
const generated =
  "// Generated from docs/openapi.json by `npm run gen:types` (openapi-typescript): do not edit.\n" +
  `// openapi.json sha256: ${hash}\n\n` +
  astToString(ast);

if (process.argv.includes("--check")) {
  let committed = "";
  try {
    committed = readFileSync(outUrl, "utf8").replace(/\r\n/g, "\n");
  } catch {
    // A missing file is stale too.
  }
  if (committed !== generated) {
    console.error("web/src/api/schema.gen.ts is stale: run `make api-types`");
    process.exit(1);
  }
} else {
  writeFileSync(outUrl, generated);
  console.log(`wrote ${outUrl.pathname}`);
}
