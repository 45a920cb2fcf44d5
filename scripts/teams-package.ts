// Builds the Teams app package (the zip you sideload or upload to the Teams admin centre):
// teams-app/manifest.json with its ${{PLACEHOLDERS}} filled from the environment, plus the two icons.
//
//   npm run teams:package                  → teams-app/build/partnership-navigator.zip
//   npm run teams:package -- --out x.zip   → somewhere else
//   npm run teams:package -- --strict      → fail instead of warning when a placeholder is left
//
// Environment: MICROSOFT_APP_ID (the bot's Microsoft Entra app id; also the Teams app id unless
// TEAMS_APP_ID is set), BOT_DOMAIN (the host serving /api/messages, e.g. navigator.example.nhs.uk),
// and optionally TEAMS_APP_VERSION, TEAMS_WEBSITE_URL, TEAMS_PRIVACY_URL, TEAMS_TERMS_URL.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';

const ROOT = resolve(fileURLToPath(new URL('../', import.meta.url)));
const APP_DIR = resolve(ROOT, 'teams-app');
const DEFAULT_OUT = resolve(APP_DIR, 'build', 'partnership-navigator.zip');
const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
const ICONS = { 'color.png': 192, 'outline.png': 32 } as const;

export interface PackageResult {
  file: string;
  manifest: Record<string, unknown>;
  /** Placeholders left in the manifest, each with the variable that would fill it. */
  unresolved: string[];
}

const SOURCES: Record<string, string> = {
  BOT_ID: 'MICROSOFT_APP_ID',
  TEAMS_APP_ID: 'TEAMS_APP_ID or MICROSOFT_APP_ID',
  BOT_DOMAIN: 'BOT_DOMAIN',
  APP_VERSION: 'TEAMS_APP_VERSION',
  WEBSITE_URL: 'TEAMS_WEBSITE_URL or BOT_DOMAIN',
  PRIVACY_URL: 'TEAMS_PRIVACY_URL or BOT_DOMAIN',
  TERMS_URL: 'TEAMS_TERMS_URL or BOT_DOMAIN',
};

const env = (e: NodeJS.ProcessEnv, name: string) => (e[name]?.trim() ? e[name]!.trim() : undefined);

/** The values for each placeholder that the environment can supply; problems are thrown with the fix. */
export function placeholderValues(e: NodeJS.ProcessEnv, packageVersion: string): Record<string, string> {
  const values: Record<string, string> = {};
  const botId = env(e, 'MICROSOFT_APP_ID');
  if (botId && !GUID.test(botId)) throw new Error(`MICROSOFT_APP_ID must be the bot's app id, a GUID such as 00000000-0000-0000-0000-000000000000 (got "${botId}")`);
  const appId = env(e, 'TEAMS_APP_ID') ?? botId;
  if (appId && !GUID.test(appId)) throw new Error(`TEAMS_APP_ID must be a GUID (got "${appId}")`);
  if (botId) values.BOT_ID = botId;
  if (appId) values.TEAMS_APP_ID = appId;

  const rawDomain = env(e, 'BOT_DOMAIN');
  if (rawDomain) {
    // People paste URLs; the manifest wants the bare host name.
    const domain = rawDomain.replace(/^https?:\/\//i, '').replace(/\/.*$/, '');
    if (!/^[a-z0-9.-]+(:\d+)?$/i.test(domain)) throw new Error(`BOT_DOMAIN must be a host name such as navigator.example.nhs.uk (got "${rawDomain}")`);
    values.BOT_DOMAIN = domain;
  }
  const website = env(e, 'TEAMS_WEBSITE_URL') ?? (values.BOT_DOMAIN ? `https://${values.BOT_DOMAIN}/` : undefined);
  for (const [key, name] of [['WEBSITE_URL', 'TEAMS_WEBSITE_URL'], ['PRIVACY_URL', 'TEAMS_PRIVACY_URL'], ['TERMS_URL', 'TEAMS_TERMS_URL']] as const) {
    const url = env(e, name) ?? website;
    if (!url) continue;
    if (!/^https:\/\//i.test(url) || !URL.canParse(url)) throw new Error(`${name} must be an https URL (got "${url}")`);
    values[key] = url;
  }
  const version = env(e, 'TEAMS_APP_VERSION') ?? packageVersion;
  if (!/^\d+\.\d+\.\d+/.test(version)) throw new Error(`TEAMS_APP_VERSION must be a version such as 1.0.0 (got "${version}")`);
  values.APP_VERSION = version;
  return values;
}

/** Width and height from a PNG's IHDR chunk; throws when the file is not a PNG. */
export function pngSize(data: Buffer): { width: number; height: number } {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (data.length < 24 || !data.subarray(0, 8).equals(signature) || data.toString('ascii', 12, 16) !== 'IHDR') throw new Error('not a PNG file');
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

export async function buildTeamsPackage(options: { env?: NodeJS.ProcessEnv; out?: string; appDir?: string } = {}): Promise<PackageResult> {
  const appDir = options.appDir ?? APP_DIR;
  const out = resolve(options.out ?? DEFAULT_OUT);
  const packageVersion = (JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const values = placeholderValues(options.env ?? process.env, packageVersion);

  const template = readFileSync(resolve(appDir, 'manifest.json'), 'utf8');
  const unresolved = new Set<string>();
  const text = template.replace(/\$\{\{([A-Z0-9_]+)\}\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) {
      unresolved.add(name);
      return whole;
    }
    // Values go inside JSON strings.
    return JSON.stringify(value).slice(1, -1);
  });
  const manifest = JSON.parse(text) as Record<string, unknown>;

  const zip = new JSZip();
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  for (const [name, size] of Object.entries(ICONS)) {
    const data = readFileSync(resolve(appDir, name));
    const actual = pngSize(data);
    if (actual.width !== size || actual.height !== size) throw new Error(`${name} must be ${size}×${size} pixels (it is ${actual.width}×${actual.height}); run scripts/make-icons.ts`);
    zip.file(name, data);
  }
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return { file: out, manifest, unresolved: [...unresolved].map((name) => `\${{${name}}} (set ${SOURCES[name] ?? name})`) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  const strict = args.includes('--strict');
  try {
    const result = await buildTeamsPackage({ ...(outIndex >= 0 && args[outIndex + 1] ? { out: args[outIndex + 1] } : {}) });
    if (result.unresolved.length > 0) {
      const message = `The manifest still has placeholders, so Teams will reject this package until they are filled: ${result.unresolved.join(', ')}.`;
      if (strict) {
        console.error(message);
        process.exitCode = 1;
      } else console.warn(`warning: ${message}`);
    }
    console.log(`wrote ${result.file}`);
  } catch (err) {
    console.error(`teams:package failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
