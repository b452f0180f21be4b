// Writes the API's GraphQL schema to apps/api/schema.graphql (run after `npm run build`). The file is
// committed; the test in apps/api/test/graphql-schema.test.ts fails when it no longer matches the code.
import { writeFile } from 'node:fs/promises';
import { printGraphqlSchema } from '@trellis/api';

const target = new URL('../apps/api/schema.graphql', import.meta.url);
await writeFile(target, await printGraphqlSchema());
console.log(`wrote ${target.pathname}`);
