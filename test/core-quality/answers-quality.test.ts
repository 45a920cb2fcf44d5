// The embedded navigator end to end (real index, local encoder, extractive answers): questions that
// ask for a figure or a date get the sentence holding it, follow-ups lean on their thread, and
// in-domain questions the knowledge base cannot answer are declined rather than answered loosely.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createKnowledgeStack } from '../../src/app/knowledge-stack.js';
import { loadConfig } from '../../src/config/config.js';
import type { NavigatorService } from '../../src/core/navigator-service.js';
import { LocalEmbedder } from '../../src/embeddings/local-embedder.js';
import { createLogger } from '../../src/shared/logger.js';
import { KNOWLEDGE_DIR, REPO_ROOT, freshDataDir } from '../support/test-data.js';

describe('embedded answers', () => {
  let navigator: NavigatorService;

  beforeAll(async () => {
    const config = loadConfig({ DATA_DIR: freshDataDir('answers'), KNOWLEDGE_DIR }, REPO_ROOT);
    ({ navigator } = await createKnowledgeStack({ config, logger: createLogger({ level: 'error' }), embedder: new LocalEmbedder() }));
  }, 120_000);

  it('answers a "how much" question with the sentence that holds the figure', async () => {
    const result = await navigator.ask({ question: 'how much did Data Saves Lives say was invested in data for research and development?' });
    expect(result.route).toBe('answer');
    expect(result.answer).toContain('£200 million');
    expect(result.citations[0]?.url).toContain('data-saves-lives');
  });

  it('answers a "when" question with the sentence that holds the date', async () => {
    const result = await navigator.ask({ question: 'when did NHSX publish its template data sharing agreement?' });
    expect(result.answer.split('\n')[0]).toContain('18 December 2020');
  });

  it('keeps the thread of a follow-up', async () => {
    const result = await navigator.ask({
      question: 'and who advises the HRA on those applications?',
      history: [
        { role: 'user', text: 'what is section 251 support?' },
        { role: 'assistant', text: 'It lets confidential patient information be used without consent for some purposes.' },
      ],
    });
    expect(result.route).toBe('answer');
    expect(result.answer.toLowerCase()).toContain('confidentiality advisory group');
  });

  it('declines a question whose subject the knowledge base never mentions, and answers one that is only oddly worded', async () => {
    const salary = await navigator.ask({ question: 'What salary does a Caldicott guardian earn?' });
    expect(salary.route).toBe('abstain');
    expect(salary.citations).toEqual([]);
    const nutshell = await navigator.ask({ question: 'value sharing framework principles in a nutshell?' });
    expect(nutshell.route).toBe('answer');
  });

  it('declines at least five of the unanswerable in-domain probes, less confidently than it answers a covered question', async () => {
    const probes = JSON.parse(readFileSync(join(REPO_ROOT, 'test', 'core-quality', 'unanswerable-probes.json'), 'utf8')) as string[];
    const results = await Promise.all(probes.map((question) => navigator.ask({ question })));
    const declined = results.filter((r) => r.route === 'abstain' || r.route === 'out_of_scope');
    // A floor, not a goal: today five of sixteen are declined; fewer means abstention got worse.
    expect(declined.length).toBeGreaterThanOrEqual(5);
    const answered = await navigator.ask({ question: 'When is a data protection impact assessment required?' });
    expect(answered.route).toBe('answer');
    expect(answered.confidence).toBeGreaterThan(Math.max(...declined.map((r) => r.confidence)));
  });
});
