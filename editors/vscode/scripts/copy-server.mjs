// `npm run package` runs this first: copies the release server binary into
// server/ so that the .vsix bundles it, and builds dist/ with type checking.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const extDir = path.resolve(here, "..");
const source = path.resolve(process.env.ERRCODE_LSP_BINARY || path.join(extDir, "..", "..", "target", "release", "errcode-lsp"));
const destDir = path.join(extDir, "server");
const dest = path.join(destDir, "errcode-lsp");

if (!fs.existsSync(source)) {
  console.error(
    `\nerror: the server binary ${source} does not exist.\n` +
      `Build it first:  (cd ../.. && cargo build --release)\n` +
      `or point ERRCODE_LSP_BINARY at an errcode-lsp executable.\n`,
  );
  process.exit(1);
}
let version = "";
try {
  version = execFileSync(source, ["--version"], { encoding: "utf8" }).trim();
} catch (err) {
  console.error(`\nerror: ${source} does not run: ${err.message}\n`);
  process.exit(1);
}
fs.mkdirSync(destDir, { recursive: true });
fs.copyFileSync(source, dest);
fs.chmodSync(dest, 0o755);
// Debug info is of no use to users and doubles the size: strip it when we can.
try {
  execFileSync("strip", ["--strip-debug", dest], { stdio: "ignore" });
} catch {
  // no binutils: ship it as it is
}
console.log(`copied ${source} (${version}) -> server/errcode-lsp`);

execFileSync("npx", ["tsc", "-p", ".", "--noEmit"], { cwd: extDir, stdio: "inherit" });
