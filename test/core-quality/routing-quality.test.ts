// Routing rules with the real local encoder and exemplars: an information question that merely
// resembles a request for advice is answered, a request that names someone to act is escalated,
// writing tasks and everyday words are not the domain, and "are you a bot?" is small talk.
import { describe, expect, it } from 'vitest';
import { LocalEmbedder } from '../../src/embeddings/local-embedder.js';
import { EmbeddedRouter, hasDomainWords } from '../../src/routing/router.js';

describe('embedded routing', () => {
  const router = new EmbeddedRouter(new LocalEmbedder());

  it.each([
    'should our trust use patient consent as the gdpr basis for a research project',
    'is taking equity in a startup a sensible way to get value for our data',
    'do we need a contract with a joint controller?',
  ])('answers an information question that only sounds like a request: %s', async (q) => {
    expect((await router.classify(q, [])).route).toBe('answer');
  });

  it.each([
    ['Can your team step in? The supplier claims all the IP in the model.', 'rule:escalate'],
    ['can someone do the DPIA with us, our IG lead is away', 'rule:escalate'],
    ['Who can I talk to about a dispute over background IP with a university?', 'rule:escalate'],
    ['please raise a ticket, the vendor will not sign our data processing terms', 'rule:escalate'],
  ])('escalates a request that names someone to act: %s', async (q, reason) => {
    const decision = await router.classify(q, []);
    expect(decision.route).toBe('escalate');
    expect(decision.reason).toBe(reason);
  });

  it.each(['write me a poem about the NHS', 'compose a cover letter for a data analyst job at my trust'])(
    'declines a writing task that mentions the domain in passing: %s',
    async (q) => {
      const decision = await router.classify(q, []);
      expect(decision).toMatchObject({ route: 'out_of_scope', offTopic: true });
    },
  );

  it('does not take one everyday word for the domain', () => {
    expect(hasDomainWords('my mobile data ran out, how do I top up')).toBe(false);
    expect(hasDomainWords('can a trust share patient data with a company')).toBe(true);
    expect(hasDomainWords('what is the DTAC')).toBe(true);
    expect(hasDomainWords('caldicot principals')).toBe(true); // a near miss still counts
  });

  it.each(['are you a bot or a real person', 'is this a bot?', 'am I talking to a human'])('treats %s as small talk', async (q) => {
    expect((await router.classify(q, [])).route).toBe('smalltalk');
  });
});
