// Validate Kubernetes manifests (multi-document YAML, e.g. `helm template`
// output) against the Kubernetes API's JSON schemas that the npm package
// kubernetes-models bundles. Usage: node validate.mjs FILE [--expect-invalid]
// Prints one line per object; exits 1 on the first invalid one (or, with
// --expect-invalid, when every object is valid: the test's self-check that
// validation can fail).
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const [file, flag] = process.argv.slice(2);
const expectInvalid = flag === "--expect-invalid";
let invalid = 0;
let count = 0;
for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
  if (doc.errors.length) {
    console.log(`not YAML: ${doc.errors[0].message}`);
    process.exit(1);
  }
  const obj = doc.toJS();
  if (!obj) continue;
  const { apiVersion, kind } = obj;
  const group = apiVersion; // "v1", "apps/v1": the package's folders
  let Model;
  try {
    Model = (await import(`kubernetes-models/${group}/${kind}`))[kind];
  } catch (e) {
    console.log(`${apiVersion} ${kind}: no schema (${e.message.split("\n")[0]})`);
    process.exit(1);
  }
  count++;
  try {
    new Model(obj).validate();
    console.log(`valid: ${apiVersion} ${kind} ${obj.metadata?.name}`);
  } catch (e) {
    invalid++;
    console.log(`INVALID: ${apiVersion} ${kind} ${obj.metadata?.name}: ${e.message}`);
    if (!expectInvalid) process.exit(1);
  }
}
if (!count) {
  console.log("no objects");
  process.exit(1);
}
if (expectInvalid && !invalid) {
  console.log("every object passed, but some were expected to fail");
  process.exit(1);
}
