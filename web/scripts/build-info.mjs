// Writes static/build-info.json: a hash of everything the bundle is built from.
// tests/ui/test_bundle_fresh.py recomputes it, so a stale committed bundle fails the tests.
// Keep the file list and hashing in step with that test.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const web = fileURLToPath(new URL("..", import.meta.url));
const out = join(web, "..", "src", "gristmill", "server", "static", "build-info.json");

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const inputs = [
  ...["index.html", "package-lock.json", "tsconfig.json", "vite.config.ts"].map((f) => join(web, f)),
  ...walk(join(web, "src")),
]
  .map((path) => relative(web, path).split(sep).join("/"))
  .sort();

const hash = createHash("sha256");
for (const name of inputs) {
  // Line endings are normalised so a checkout with CRLF hashes the same.
  const text = readFileSync(join(web, name), "utf8").replace(/\r\n/g, "\n");
  hash.update(`${name}\n${Buffer.byteLength(text)}\n`);
  hash.update(text);
}
writeFileSync(
  out,
  JSON.stringify({ source_hash: hash.digest("hex"), files: inputs.length }, null, 2) + "\n",
);
console.log(`wrote ${relative(join(web, ".."), out)}`);
