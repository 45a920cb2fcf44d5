// Every message is classified before anything else happens: a question for the knowledge base, a
// request for hands-on help, something out of scope, or small talk. Embedded routing uses rules
// and similarity to labelled exemplars; model routing asks for validated JSON and falls back.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Turn } from '../core/types.js';
import { cosineSimilarity, type Embedder } from '../embeddings/embedder.js';
import { embedWithCache, type EmbeddingCache } from '../embeddings/embedding-cache.js';
import type { ChatModel } from '../llm/chat-model.js';
import type { Prompt } from '../llm/prompts.js';
import { CATEGORIES, type Category } from '../queue/types.js';
import type { Logger } from '../shared/logger.js';
import { stem, words } from '../retrieval/text.js';
import { suggestCategory } from './category.js';

export type RoutedAs = 'answer' | 'escalate' | 'out_of_scope' | 'smalltalk';

export interface RouteDecision {
  route: RoutedAs;
  category: Category;
  /** Short machine-readable reason, for logs and tests. */
  reason: string;
  /** True when no domain word appears: weak retrieval then means out of scope, not abstain. */
  offTopic: boolean;
}

export interface Router {
  /** `signal` carries the request's model budget; embedded routing ignores it. */
  classify(message: string, history: Turn[], options?: { signal?: AbortSignal }): Promise<RouteDecision>;
}

const exemplarSchema = z.object({
  escalate: z.array(z.string()).min(1),
  out_of_scope: z.array(z.string()).min(1),
  smalltalk: z.array(z.string()).min(1),
  answer: z.array(z.string()).min(1),
});
type Exemplars = z.infer<typeof exemplarSchema>;

export function loadExemplars(path = fileURLToPath(new URL('./exemplars.json', import.meta.url))): Exemplars {
  return exemplarSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

const SMALLTALK =
  /^(?:(?:hi|hello|hey|hiya|morning|afternoon|evening|good (?:morning|afternoon|evening)|thanks?(?: you)?(?: (?:so|very) much)?|thank you|cheers|ta|bye|goodbye|ok(?:ay)?|great|cool|nice one|help|menu|start)[\s!.,:)]*(?:there|all|team|navigator|bot)?[\s!.,:)]*)+$|^(?:what|how) (?:can|do|could) you (?:do|help(?: me| us)?(?: with)?)\b|^who (?:are|made|built) you\b|^(?:are you|is this|am i (?:talking|chatting) (?:to|with)) (?:a |an |just a |actually a )?(?:bot|robot|chatbot|human|real person|person|ai|machine)\b|^what (?:are|is) (?:you|this bot|partnership navigator)(?: for)?\b|^how does this (?:bot|work)\b/i;

const ESCALATE = [
  /\b(?:can|could|would|will) (?:someone|somebody|anyone|one of your (?:team|experts?|lawyers|advisers|advisors)|your (?:team|experts?|lawyers|advisers|advisors)|an? (?:expert|adviser|advisor|specialist|person|human)|you guys)(?: from your team)? (?:please )?(?:help|review|look|check|advise|assist|sit|go through|support|value|step in|do|join|handle|take (?:this|it) on|draft|negotiate|assess|sanity[- ]check|work (?:it|this|that) out)/i,
  /\bwho (?:can|could|should|do) (?:i|we) (?:talk|speak|go|turn) (?:to|with)\b/i,
  /\b(?:raise|open|log|create) a (?:support )?(?:ticket|request|case)\b/i,
  /\b(?:put|connect|link) (?:me|us) (?:in touch )?with\b/i,
  /\b(?:need|want|would like|'d like|looking for|require)s? (?:some |an? |urgent |specialist |expert |hands[- ]on )*(?:hands[- ]on|legal advice|legal support|commercial (?:advice|support)|an? (?:expert|lawyer|solicitor|adviser|advisor|specialist|second opinion)|someone|somebody|a person|a human|support (?:from|with|setting)|help (?:from|with (?:our|the|negotiat|review|valu))|expert (?:help|advice|support))/i,
  /\b(?:review|check|look over|go through|sense[- ]check) (?:our|my|the|this) (?:draft |proposed |new )?(?:contract|agreement|clauses?|terms|heads of terms|dpia|data sharing agreement|licen[cs]e|proposal|deal)\b/i,
  /\bhelp (?:us|me) (?:to )?(?:value|negotiat|draft|review|set up|structure|prepare|respond|work out|understand our|assess our|with our)/i,
  /\b(?:talk|speak|chat) (?:to|with) (?:someone|somebody|an? (?:expert|adviser|advisor|person|human|lawyer))/i,
  /\b(?:an? )?expert to (?:check|review|look|advise|value)/i,
  /\bhands[- ]on (?:help|support)\b/i,
  /\bescalate\b/i,
];

/**
 * Similarity to hands-on exemplars alone is not enough to offer escalation: "should we use consent
 * as our lawful basis?" resembles a request for advice but asks for information. A request names
 * someone to act, or asks for help.
 */
const REQUEST_CUE =
  /\b(?:you|your|someone|somebody|anyone|anybody|an? (?:expert|adviser|advisor|specialist|person|human|lawyer|solicitor)|experts|advisers|advisors|help (?:me|us)|(?:need|want|would like|looking for) (?:some |urgent |legal |expert |specialist )?(?:help|advice|support|input)|ticket)\b/i;

/** Writing and personal tasks that mention the NHS or data in passing are still not ours to do. */
const OFF_TASK =
  /^(?:(?:please|pls|can you|could you|would you)[\s,]+)?(?:write|compose|draft|generate|create|make|give)(?: me| us)? (?:a |an |some )?(?:[\w-]+ ){0,3}(?:poem|haiku|limerick|song|lyrics|story|stories|joke|rap|essay|speech|cover letter|covering letter|cv|resume|birthday (?:message|card)|tweet|slogan|recipe)s?\b/i;

const CLINICAL = /\b(?:dose|dosage|doses|mg|mcg|symptoms?|diagnos(?:e|is)|rash|fever|side[- ]effects?|prescri(?:be|ption)|antibiotic|amoxicillin|paracetamol|ibuprofen|chest pain|blood pressure|infection|treat (?:a|my|the|his|her) )\b/i;

/** Words that place a message in this assistant's domain. */
const DOMAIN = new Set(
  (
    'nhs data dataset datasets partnership partnerships partner partners deal deals contract contracts agreement agreements ' +
    'ip intellectual property licence license licensing royalty royalties equity value valuing commercial company companies ' +
    'startup startups supplier suppliers industry pharma pharmaceutical trust trusts icb board governance ig gdpr dpia dspt ' +
    'dtac dcb0129 dcb0160 ukca ce mhra nice hra iras cag caldicott consent opt optout confidential confidentiality patient patients ' +
    'research researchers privacy anonymised anonymisation pseudonymised regulation regulator regulatory device devices software ' +
    'ai algorithm app apps digital procurement tender framework funding grant sbri i4i innovation innovator innovators sde tre ' +
    'opensafely deepmind royal free moorfields sensyne caredata care genomics evidence clinical safety assurance transparency public ' +
    'principles guidance policy law lawful legal ico guardian exclusive exclusivity sharing processor controller section 251 ' +
    'g cloud cidc ahsn hin network networks accelerated access collaborative biomedical catalyst skin analytics derm life sciences ' +
    's251 cpi copi ndoo ndg nhsx dhsc nhse icb ics cso samd aiamd ivd mdr esf dht dsa dpa dpo cldc psr nihr ukri ' +
    'innovate goldacre pseudonymised deidentified'
  ).split(/\s+/),
);
/** Stemmed too, so "anonymisation", "regulated" or a near miss such as "caldicot" still count. */
const DOMAIN_STEMS = new Set([...DOMAIN].filter((w) => w.length > 4).map(stem));

/**
 * Domain words that are also everyday words ("my mobile data ran out", "I trust you"): one of them
 * alone does not place a message in the domain; two together, or any other domain word, do.
 */
const EVERYDAY = new Set(
  (
    'data care trust trusts public value valuing evidence network networks board policy law legal digital app apps software ai ' +
    'company companies framework guidance principles deal deals research researchers sharing partner partners innovation funding ' +
    'grant device devices privacy transparency assurance contract contracts agreement agreements safety regulation clinical patient patients ' +
    'property'
  ).split(/\s+/),
);
const EVERYDAY_STEMS = new Set([...EVERYDAY].map(stem));

export function hasDomainWords(text: string): boolean {
  let everyday = 0;
  for (const w of words(text)) {
    if (!DOMAIN.has(w) && !DOMAIN_STEMS.has(stem(w))) continue;
    if (!EVERYDAY.has(w) && !EVERYDAY_STEMS.has(stem(w))) return true;
    everyday++;
  }
  return everyday >= 2;
}

function isSmalltalk(text: string): boolean {
  return SMALLTALK.test(text.trim()) && words(text).length <= 10;
}

export class EmbeddedRouter implements Router {
  private vectors?: Promise<Array<{ label: RoutedAs; vector: number[] }>>;

  constructor(
    private readonly embedder: Embedder,
    private readonly exemplars: Exemplars = loadExemplars(),
    /** Exemplar vectors persist with the index's embedding cache, so restarts do not re-embed them. */
    private readonly cache?: EmbeddingCache,
  ) {}

  /** Embeds the exemplars now rather than on the first question. */
  warm(): Promise<unknown> {
    return this.exemplarVectors();
  }

  private exemplarVectors() {
    this.vectors ??= (async () => {
      const labelled = (Object.entries(this.exemplars) as Array<[RoutedAs, string[]]>).flatMap(([label, texts]) =>
        texts.map((text) => ({ label, text })),
      );
      const texts = labelled.map((l) => l.text);
      const vectors = this.cache
        ? (await embedWithCache(this.embedder, this.cache, texts)).vectors
        : await this.embedder.embedDocuments(texts);
      this.cache?.save();
      return labelled.map((l, i) => ({ label: l.label, vector: vectors[i]! }));
    })();
    return this.vectors;
  }

  async classify(message: string, history: Turn[]): Promise<RouteDecision> {
    const text = message.trim();
    const category = suggestCategory(text);
    const domain = hasDomainWords(text) || (history.length > 0 && words(text).length <= 12);
    const decide = (route: RoutedAs, reason: string): RouteDecision => ({ route, category, reason, offTopic: !domain });

    if (isSmalltalk(text)) return decide('smalltalk', 'rule:smalltalk');
    if (ESCALATE.some((p) => p.test(text))) return decide('escalate', 'rule:escalate');
    if (CLINICAL.test(text) && !hasDomainWords(text.replace(CLINICAL, ''))) return decide('out_of_scope', 'rule:clinical');
    if (OFF_TASK.test(text)) return { route: 'out_of_scope', category, reason: 'rule:off-task', offTopic: true };

    const vector = await this.embedder.embedQuery(text);
    const scores = new Map<RoutedAs, number>();
    const byLabel = new Map<RoutedAs, number[]>();
    for (const e of await this.exemplarVectors()) {
      const list = byLabel.get(e.label) ?? [];
      list.push(cosineSimilarity(vector, e.vector));
      byLabel.set(e.label, list);
    }
    for (const [label, sims] of byLabel) {
      const top = sims.sort((a, b) => b - a).slice(0, 3);
      scores.set(label, top.reduce((a, b) => a + b, 0) / top.length);
    }
    const ranked = [...scores].sort((a, b) => b[1] - a[1]);
    const [bestLabel, best] = ranked[0]!;
    const margin = best - (ranked[1]?.[1] ?? 0);
    if (bestLabel === 'escalate' && best >= 0.55 && margin >= 0.05 && REQUEST_CUE.test(text)) return decide('escalate', `exemplar:${best.toFixed(2)}`);
    if (bestLabel === 'out_of_scope' && !domain && best >= 0.35) return decide('out_of_scope', `exemplar:${best.toFixed(2)}`);
    if (bestLabel === 'smalltalk' && !domain && best >= 0.6 && words(text).length <= 8) return decide('smalltalk', `exemplar:${best.toFixed(2)}`);
    return decide('answer', `exemplar:${bestLabel}:${best.toFixed(2)}`);
  }
}

const llmRouteSchema = z.object({
  route: z.enum(['answer', 'escalate', 'out_of_scope', 'smalltalk']),
  category: z.enum(CATEGORIES).optional(),
});

/** Routing by the language model, validated; any failure is answered by the embedded router. */
export class LlmRouter implements Router {
  constructor(
    private readonly options: { model: ChatModel; prompt: Prompt; fallback: Router; timeoutMs: number; logger: Logger },
  ) {}

  async classify(message: string, history: Turn[], options: { signal?: AbortSignal } = {}): Promise<RouteDecision> {
    // Small talk and explicit requests for a person are certain from rules; no need to ask a model.
    const text = message.trim();
    if (isSmalltalk(text) || ESCALATE.some((p) => p.test(text))) return this.options.fallback.classify(message, history);
    try {
      const raw = await this.options.model.complete(
        [
          { role: 'system', content: this.options.prompt.system },
          { role: 'user', content: this.options.prompt.render({ message: text.replace(/</g, '‹').replace(/>/g, '›') }) },
        ],
        {
          temperature: this.options.prompt.config.temperature,
          maxTokens: this.options.prompt.config.max_tokens,
          json: true,
          signal: anySignal(AbortSignal.timeout(Math.min(this.options.timeoutMs, 10_000)), options.signal),
        },
      );
      const parsed = llmRouteSchema.parse(JSON.parse(raw.slice(raw.indexOf('{'), raw.lastIndexOf('}') + 1)));
      const domain = hasDomainWords(text) || history.length > 0;
      return {
        route: parsed.route,
        category: parsed.category ?? suggestCategory(text),
        reason: 'llm',
        offTopic: !domain,
      };
    } catch (err) {
      this.options.logger.warn('model routing failed; using embedded routing', {
        reason: err instanceof Error ? err.message : String(err),
      });
      return this.options.fallback.classify(message, history);
    }
  }
}

/** Aborts when either signal does. */
export function anySignal(a: AbortSignal, b?: AbortSignal): AbortSignal {
  return b ? AbortSignal.any([a, b]) : a;
}
