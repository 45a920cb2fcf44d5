// `npm run teams:package` builds a zip Teams accepts: the manifest's required fields (as the
// v1.30 schema lists them), the bot with its scopes and command lists, valid domains, and both
// icons at the sizes Teams requires, read from the PNG headers.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../support/test-data.js';

const BOT_ID = '5b1c7d2e-8f3a-4b6c-9d0e-1f2a3b4c5d6e';
const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;

function runPackage(env: Record<string, string>, args: string[] = []) {
  const out = join(mkdtempSync(join(tmpdir(), 'teams-pkg-')), 'app.zip');
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(MICROSOFT_APP_ID|TEAMS_APP_ID|BOT_DOMAIN|TEAMS_.*_URL|TEAMS_APP_VERSION)$/.test(k)));
  const res = spawnSync('npm', ['run', '--silent', 'teams:package', '--', '--out', out, ...args], { cwd: REPO_ROOT, env: { ...clean, ...env }, encoding: 'utf8', timeout: 120_000 });
  return { out, status: res.status, output: `${res.stdout}${res.stderr}` };
}

/** Decodes an 8-bit RGBA, non-interlaced PNG whose rows use filter 0 (what make-icons writes). */
function pixels(png: Buffer): { width: number; height: number; colorType: number; rgba: Buffer } {
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const colorType = png[25]!;
  const idat: Buffer[] = [];
  for (let i = 8; i < png.length; ) {
    const length = png.readUInt32BE(i);
    if (png.toString('ascii', i + 4, i + 8) === 'IDAT') idat.push(png.subarray(i + 8, i + 8 + length));
    i += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width * 4 + 1)]).toBe(0);
    raw.copy(rgba, y * width * 4, y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1));
  }
  return { width, height, colorType, rgba };
}

describe('npm run teams:package', () => {
  it('produces a zip whose manifest has every required field, the bot, command lists, valid domains and both icons', async () => {
    const run = runPackage({ MICROSOFT_APP_ID: BOT_ID, BOT_DOMAIN: 'navigator.example.nhs.uk' }, ['--strict']);
    expect(run.status, run.output).toBe(0);
    const zip = await JSZip.loadAsync(readFileSync(run.out));
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const text = await zip.file('manifest.json')!.async('string');
    expect(text).not.toContain('${{');
    const m = JSON.parse(text);

    // The schema's required properties, and their constraints.
    for (const key of ['manifestVersion', 'version', 'id', 'developer', 'name', 'description', 'icons', 'accentColor']) expect(m, key).toHaveProperty(key);
    expect(m.$schema).toBe(`https://developer.microsoft.com/json-schemas/teams/v${m.manifestVersion}/MicrosoftTeams.schema.json`);
    expect(Number(m.manifestVersion)).toBeGreaterThanOrEqual(1.19);
    expect(m.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(m.id).toMatch(GUID);
    expect(m.developer.name.length).toBeLessThanOrEqual(32);
    for (const url of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl']) expect(m.developer[url]).toMatch(/^https:\/\/navigator\.example\.nhs\.uk\//);
    expect(m.name.short.length).toBeLessThanOrEqual(30);
    expect(m.name.full.length).toBeLessThanOrEqual(100);
    expect(m.description.short.length).toBeLessThanOrEqual(80);
    expect(m.description.full.length).toBeGreaterThan(0);
    expect(m.description.full.length).toBeLessThanOrEqual(4000);
    expect(m.accentColor).toMatch(/^#[0-9a-fA-F]{6}$/);
    expect(m.icons).toEqual({ color: 'color.png', outline: 'outline.png' });

    expect(m.bots).toHaveLength(1);
    const bot = m.bots[0];
    expect(bot.botId).toBe(BOT_ID);
    expect([...bot.scopes].sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(bot.commandLists.length).toBeLessThanOrEqual(3);
    const scopesCovered = new Set(bot.commandLists.flatMap((l: { scopes: string[] }) => l.scopes));
    expect([...scopesCovered].sort()).toEqual(['groupChat', 'personal', 'team']);
    for (const list of bot.commandLists) {
      expect(list.commands.length).toBeLessThanOrEqual(12);
      const titles = list.commands.map((c: { title: string }) => c.title);
      expect(titles).toEqual(expect.arrayContaining(['ask', 'request help', 'my requests', 'help']));
      for (const c of list.commands) expect(c.description.length).toBeGreaterThan(0);
    }
    expect(m.validDomains).toEqual(['navigator.example.nhs.uk']);

    const color = pixels(Buffer.from(await zip.file('color.png')!.async('uint8array')));
    expect([color.width, color.height, color.colorType]).toEqual([192, 192, 6]);
    const outline = pixels(Buffer.from(await zip.file('outline.png')!.async('uint8array')));
    expect([outline.width, outline.height, outline.colorType]).toEqual([32, 32, 6]);
    // The outline icon is white on transparent: every visible pixel is white, and there are some.
    let visible = 0;
    for (let i = 0; i < outline.rgba.length; i += 4) {
      if (outline.rgba[i + 3] === 0) continue;
      visible += 1;
      expect([outline.rgba[i], outline.rgba[i + 1], outline.rgba[i + 2]]).toEqual([255, 255, 255]);
    }
    expect(visible).toBeGreaterThan(100);
    expect(outline.rgba[3]).toBe(0); // the corner is transparent
    // The colour icon fills its square.
    for (let i = 3; i < color.rgba.length; i += 4) expect(color.rgba[i]).toBe(255);
  });

  it('leaves clear placeholders (with a warning naming the variables) when the bot id is not set, and fails with --strict', () => {
    const lenient = runPackage({});
    expect(lenient.status).toBe(0);
    expect(lenient.output).toContain('${{BOT_ID}} (set MICROSOFT_APP_ID)');
    const strict = runPackage({}, ['--strict']);
    expect(strict.status).toBe(1);
  });

  it('refuses an app id that is not a GUID', () => {
    const run = runPackage({ MICROSOFT_APP_ID: 'my-bot' });
    expect(run.status).toBe(1);
    expect(run.output).toMatch(/MICROSOFT_APP_ID must be .* GUID/);
  });
});
