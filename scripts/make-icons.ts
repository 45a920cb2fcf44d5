// Draws the two Teams app icons with nothing but Node: a compass (the navigator) in NHS blue.
//   color.png   192×192, full colour: white compass on an NHS blue square
//   outline.png  32×32, white on transparent (Teams tints it)
// Shapes are sampled 4×4 per pixel for smooth edges, then written as RGBA PNGs (zlib for IDAT).
// Run: node bin/run-ts.js scripts/make-icons.ts [output-folder]   (default teams-app/)
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

type Rgba = [number, number, number, number];
type Shader = (x: number, y: number) => Rgba | null;

const NHS_BLUE: Rgba = [0, 94, 184, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const PALE_BLUE: Rgba = [160, 200, 235, 255];

/** Renders `shade` (unit coordinates, 0..1) into an RGBA buffer with 4×4 supersampling. */
export function render(size: number, shade: Shader, samples = 4): Uint8Array {
  const out = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const c = shade((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size);
          if (!c) continue;
          const alpha = c[3] / 255;
          r += c[0] * alpha;
          g += c[1] * alpha;
          b += c[2] * alpha;
          a += alpha;
        }
      }
      const i = (py * size + px) * 4;
      const n = samples * samples;
      // Colour is stored un-premultiplied: average over the covered samples only.
      out[i] = a > 0 ? Math.round(r / a) : 0;
      out[i + 1] = a > 0 ? Math.round(g / a) : 0;
      out[i + 2] = a > 0 ? Math.round(b / a) : 0;
      out[i + 3] = Math.round((a / n) * 255);
    }
  }
  return out;
}

function inPolygon(x: number, y: number, points: Array<[number, number]>): boolean {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i]!;
    const [xj, yj] = points[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** A compass: a ring, and a needle pointing north-east whose two halves can differ in colour. */
function compass(options: { ringOuter: number; ringInner: number; needleLength: number; needleWidth: number; north: Rgba; south: Rgba; ring: Rgba; hub: number }): Shader {
  const c = 0.5;
  const ux = Math.SQRT1_2;
  const uy = -Math.SQRT1_2;
  const vx = -uy;
  const vy = ux;
  const tip = (d: number): [number, number] => [c + ux * d, c + uy * d];
  const side = (w: number): [number, number] => [c + vx * w, c + vy * w];
  const northHalf = [tip(options.needleLength), side(options.needleWidth), side(-options.needleWidth)];
  const southHalf = [tip(-options.needleLength), side(options.needleWidth), side(-options.needleWidth)];
  return (x, y) => {
    const d = Math.hypot(x - c, y - c);
    if (d <= options.hub) return null;
    if (inPolygon(x, y, northHalf as Array<[number, number]>)) return options.north;
    if (inPolygon(x, y, southHalf as Array<[number, number]>)) return options.south;
    if (d <= options.ringOuter && d >= options.ringInner) return options.ring;
    return null;
  };
}

export function colorIcon(): Uint8Array {
  const mark = compass({ ringOuter: 0.36, ringInner: 0.3, needleLength: 0.26, needleWidth: 0.085, north: WHITE, south: PALE_BLUE, ring: WHITE, hub: 0.025 });
  return render(192, (x, y) => mark(x, y) ?? NHS_BLUE);
}

export function outlineIcon(): Uint8Array {
  return render(32, compass({ ringOuter: 0.47, ringInner: 0.37, needleLength: 0.3, needleWidth: 0.12, north: WHITE, south: WHITE, ring: WHITE, hub: 0.05 }));
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An 8-bit RGBA PNG (colour type 6), one unfiltered scanline per row. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  header[10] = 0; // deflate
  header[11] = 0; // adaptive filtering (each row says which filter: here none)
  header[12] = 0; // no interlace
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    rows[y * (width * 4 + 1)] = 0;
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(rows, y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

export function writeIcons(folder: string): string[] {
  mkdirSync(folder, { recursive: true });
  const color = resolve(folder, 'color.png');
  const outline = resolve(folder, 'outline.png');
  writeFileSync(color, encodePng(192, 192, colorIcon()));
  writeFileSync(outline, encodePng(32, 32, outlineIcon()));
  return [color, outline];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const folder = resolve(process.argv[2] ?? 'teams-app');
  for (const file of writeIcons(folder)) console.log(`wrote ${file}`);
}
