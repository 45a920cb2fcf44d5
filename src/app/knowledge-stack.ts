// Builds the answering side from configuration: embedder, index, retriever, model, answerer,
// router and the navigator use case. Nothing here is created at import time.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EmbeddingCache } from '../embeddings/embedding-cache.js';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config/config.js';
import { standaloneQuestion } from '../core/follow-up.js';
import { NavigatorService, type AnswerEvent, type NavigatorDeps } from '../core/navigator-service.js';
import type { Embedder } from '../embeddings/embedder.js';
import { LocalEmbedder } from '../embeddings/local-embedder.js';
import { OpenAIEmbedder, createOpenAIClient } from '../embeddings/openai-embedder.js';
import { ExtractiveAnswerer } from '../answering/extractive-answerer.js';
import { LlmAnswerer } from '../answering/llm-answerer.js';
import type { Answerer } from '../answering/answerer.js';
import { piiNotice, redactPii } from '../guard/index.js';
import { ConcurrencyLimitedChatModel, OpenAIChatModel, type ChatModel } from '../llm/chat-model.js';
import { loadPrompts } from '../llm/prompts.js';
import { loadGlossary } from '../retrieval/glossary.js';
import { prepareIndex, type PreparedIndex } from '../retrieval/index-builder.js';
import { Retriever, type FusionWeights, type RetrievalMode } from '../retrieval/retriever.js';
import { EmbeddedRouter, LlmRouter, type Router } from '../routing/router.js';
import type { Logger } from '../shared/logger.js';
import type { Metrics } from '../shared/metrics.js';

export const PROMPTS_DIR = fileURLToPath(new URL('../../prompts/', import.meta.url));
export const BUNDLED_KNOWLEDGE_DIR = fileURLToPath(new URL('../../knowledge/', import.meta.url));

export interface KnowledgeStack {
  navigator: NavigatorService;
  retriever: Retriever;
  embedder: Embedder;
  chatModel?: ChatModel;
  prepared: PreparedIndex;
  router: Router;
}

export interface KnowledgeStackOptions {
  config: Readonly<Config>;
  logger: Logger;
  metrics?: Metrics;
  /** Overrides for tests and benchmarks (e.g. an embedder that counts its calls). */
  embedder?: Embedder;
  sources?: string[];
  fusion?: FusionWeights;
  retrievalMode?: RetrievalMode;
  onAnswered?: (event: AnswerEvent) => void;
}

export function createEmbedder(config: Readonly<Config>): Embedder {
  const e = config.embeddings;
  if (e.provider === 'local') return new LocalEmbedder();
  if (e.provider === 'azure') {
    return new OpenAIEmbedder({ client: createOpenAIClient(e, config.llmTimeoutMs), model: e.deployment, provider: 'azure' });
  }
  return new OpenAIEmbedder({ client: createOpenAIClient(e, config.llmTimeoutMs), model: e.model, provider: 'openai' });
}

export function createChatModel(config: Readonly<Config>): ChatModel | undefined {
  const l = config.llm;
  if (l.provider === 'none') return undefined;
  const model =
    l.provider === 'azure'
      ? new OpenAIChatModel(createOpenAIClient(l, config.llmTimeoutMs), l.deployment)
      : new OpenAIChatModel(createOpenAIClient(l, config.llmTimeoutMs), l.model);
  return new ConcurrencyLimitedChatModel(model, config.llmMaxConcurrency);
}

export function knowledgeSources(config: Readonly<Config>): string[] {
  return [existsSync(config.knowledgeDir) ? config.knowledgeDir : BUNDLED_KNOWLEDGE_DIR];
}

export async function createKnowledgeStack(options: KnowledgeStackOptions): Promise<KnowledgeStack> {
  const { config, logger, metrics } = options;
  const embedder = options.embedder ?? createEmbedder(config);
  const prepared = await prepareIndex({
    sources: options.sources ?? knowledgeSources(config),
    dataDir: config.dataDir,
    embedder,
    logger,
  });
  const retriever = new Retriever(prepared.index, embedder, loadGlossary(), options.fusion, options.retrievalMode);
  const extractive = new ExtractiveAnswerer((t) => prepared.index.lexical.idf(t));
  const chatModel = createChatModel(config);
  const embeddedRouter = new EmbeddedRouter(embedder, undefined, new EmbeddingCache(join(config.dataDir, 'embeddings', 'router'), embedder.id));
  await embeddedRouter.warm();

  let answerer: Answerer = extractive;
  let router: Router = embeddedRouter;
  let rewrite: NavigatorDeps['rewrite'];
  if (chatModel) {
    const prompts = loadPrompts(PROMPTS_DIR);
    answerer = new LlmAnswerer({
      model: chatModel,
      prompt: prompts.answer,
      fallback: extractive,
      timeoutMs: config.llmTimeoutMs,
      logger,
      allowedUrls: new Set(prepared.index.chunks.map((c) => c.meta.url)),
      onFallback: () => metrics?.modelFallbacks.inc(),
    });
    router = new LlmRouter({ model: chatModel, prompt: prompts.route, fallback: embeddedRouter, timeoutMs: config.llmTimeoutMs, logger });
    const rewriter = { model: chatModel, prompt: prompts.rewrite, timeoutMs: config.llmTimeoutMs };
    rewrite = (q, h, signal) => standaloneQuestion(q, h, rewriter, signal);
  }

  const navigator = new NavigatorService({
    redact: (text) => redactPii(text),
    piiNotice: (kinds) => piiNotice(kinds as Parameters<typeof piiNotice>[0]),
    router,
    retriever,
    answerer,
    logger,
    rewrite,
    modelBudgetMs: chatModel ? config.llmTimeoutMs : undefined,
    onAnswered: (event) => {
      if (metrics) {
        metrics.answers.inc({ route: event.route, mode: event.mode });
        metrics.answerLatency.observe({ route: event.route }, event.latencyMs / 1000);
        if (event.route === 'abstain') metrics.abstentions.inc();
        if (event.redactions > 0) metrics.redactions.inc(event.redactions);
      }
      options.onAnswered?.(event);
    },
  });
  return { navigator, retriever, embedder, chatModel, prepared, router };
}
