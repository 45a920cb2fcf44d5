// Builds the search index over the real knowledge base once per test run, so each test server
// starts from a copy instead of re-embedding the corpus (about 40 s on this machine's two cores).
import { prepareBaseData } from './support/test-data.js';

export default async function setup(): Promise<void> {
  await prepareBaseData();
}
