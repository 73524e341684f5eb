// Builds the static site's viewer: `node web/site/build.mjs` (from anywhere).
// tsc compiles viewer.ts into src/gristmill/site/static/viewer.js, then build-info.json records
// a hash of the sources, which tests/site/test_site_assets_fresh.py compares with them.
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "..", "src", "gristmill", "site", "static");
// Keep in step with SOURCES in tests/site/test_site_assets_fresh.py.
const SOURCES = ["build.mjs", "tsconfig.json", "viewer.ts"];

execFileSync(join(here, "..", "node_modules", ".bin", "tsc"), ["-p", join(here, "tsconfig.json")], {
  stdio: "inherit",
});
const digest = createHash("sha256");
for (const name of SOURCES) {
  const text = readFileSync(join(here, name), "utf-8").replaceAll("\r\n", "\n");
  digest.update(`${name}\n${Buffer.byteLength(text, "utf-8")}\n`);
  digest.update(text);
}
writeFileSync(
  join(out, "build-info.json"),
  JSON.stringify({ source_hash: digest.digest("hex") }, null, 2) + "\n",
);
