// Writes the API documents the gateway serves, from the code: the OpenAPI document from the
// services' routes and joi schemas and the gateway's route table, the AsyncAPI document from the
// event contracts and subscriptions. `--check` writes nothing and fails when a committed document
// is not what the code says (the gateway's tests check the same).
//   npx tsx --conditions=development scripts/api-docs.ts [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { API_DOCUMENT_FILES } from '@shop/gateway/src/api-documents';
import { buildAsyncApiDocument } from './api-docs/asyncapi.js';
import { buildOpenApiDocument } from './api-docs/openapi.js';
import { documentText } from './api-docs/text.js';

const check = process.argv.includes('--check');
const documents = [
  { file: API_DOCUMENT_FILES.openapi, text: documentText(buildOpenApiDocument()) },
  { file: API_DOCUMENT_FILES.asyncapi, text: documentText(buildAsyncApiDocument()) },
];
let stale = 0;
for (const { file, text } of documents) {
  const path = fileURLToPath(file);
  let committed: string | undefined;
  try {
    committed = readFileSync(path, 'utf8');
  } catch {
    committed = undefined;
  }
  if (committed === text) continue;
  if (check) {
    stale += 1;
    process.stderr.write(`${path} is stale: run scripts/api-docs.ts\n`);
  } else {
    writeFileSync(path, text);
    process.stdout.write(`wrote ${path}\n`);
  }
}
process.exit(stale > 0 ? 1 : 0);
