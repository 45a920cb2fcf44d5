// Prompts are files under prompts/<name>/: system.md, user.md and config.json. Each is checked
// at load (config shape, declared variables used and no undeclared ones), so a typo stops start-up.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const configSchema = z
  .object({
    description: z.string(),
    temperature: z.number().min(0).max(2),
    max_tokens: z.number().int().min(1).max(32_000),
    json: z.boolean().default(false),
    variables: z.array(z.string().regex(/^[a-z_]+$/)),
  })
  .strict();

export interface Prompt {
  name: string;
  system: string;
  config: z.infer<typeof configSchema>;
  render(vars: Record<string, string>): string;
}

export class PromptError extends Error {
  override name = 'PromptError';
}

export function loadPrompt(dir: string, name: string): Prompt {
  const folder = join(dir, name);
  const read = (file: string) => {
    const path = join(folder, file);
    if (!existsSync(path)) throw new PromptError(`prompt ${name}: missing ${path}`);
    return readFileSync(path, 'utf8');
  };
  let config: z.infer<typeof configSchema>;
  try {
    config = configSchema.parse(JSON.parse(read('config.json')));
  } catch (err) {
    if (err instanceof PromptError) throw err;
    const detail = err instanceof z.ZodError ? err.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') : String(err);
    throw new PromptError(`prompt ${name}: config.json is invalid: ${detail}`);
  }
  const system = read('system.md').trim();
  const user = read('user.md');
  const used = new Set([...user.matchAll(/\{\{([a-z_]+)\}\}/g)].map((m) => m[1]!));
  const declared = new Set(config.variables);
  const undeclared = [...used].filter((v) => !declared.has(v));
  const unused = [...declared].filter((v) => !used.has(v));
  if (undeclared.length || unused.length) {
    throw new PromptError(
      `prompt ${name}: user.md and config.json disagree (undeclared: ${undeclared.join(', ') || 'none'}; unused: ${unused.join(', ') || 'none'})`,
    );
  }
  return {
    name,
    system,
    config,
    render(vars) {
      return user.replace(/\{\{([a-z_]+)\}\}/g, (_, v: string) => {
        if (!(v in vars)) throw new PromptError(`prompt ${name}: no value for {{${v}}}`);
        return vars[v]!;
      });
    },
  };
}

export interface PromptSet {
  answer: Prompt;
  route: Prompt;
  rewrite: Prompt;
}

export function loadPrompts(dir: string): PromptSet {
  return { answer: loadPrompt(dir, 'answer'), route: loadPrompt(dir, 'route'), rewrite: loadPrompt(dir, 'rewrite') };
}
