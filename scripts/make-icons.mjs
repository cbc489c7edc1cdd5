// Generates the app's icons into public/icons/ (committed; re-run after changing the design):
// icon.svg, icon-192.png, icon-512.png (rounded tile) and icon-maskable-512.png (full-bleed,
// drawing inside the maskable safe zone). Same drawing as public/favicon.svg: a dark tile with
// a pulse line. PNGs are rasterised here (4×4 supersampling) and encoded with node:zlib.
//
//   node scripts/make-icons.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const OUT = fileURLToPath(new URL('../public/icons/', import.meta.url));
const BG = [0x12, 0x27, 0x2e];
const FG = [0xf7, 0x87, 0x87];
/** The drawing, in a 32×32 box. */
const LINE = [[6, 22], [11, 22], [14, 10], [18, 26], [21, 18], [26, 18]];
const STROKE = 2.5;
const RADIUS = 6;

function svg() {
  const d = 'M' + LINE.map(([x, y]) => `${x} ${y}`).join('L');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="${RADIUS}" fill="#12272e"/><path d="${d}" fill="none" stroke="#f78787" stroke-width="${STROKE}" stroke-linejoin="round" stroke-linecap="round"/></svg>\n`;
}

function distToSegment(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

function inRoundedRect(x, y, r) {
  const cx = Math.min(Math.max(x, r), 32 - r);
  const cy = Math.min(Math.max(y, r), 32 - r);
  return x >= 0 && y >= 0 && x <= 32 && y <= 32 && Math.hypot(x - cx, y - cy) <= r;
}

/** RGBA pixels of the icon at `size`; `maskable`: square tile, drawing shrunk into the safe zone. */
function raster(size, maskable) {
  const px = new Uint8Array(size * size * 4);
  const S = 4;
  const shrink = maskable ? 0.72 : 1;
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      let bg = 0;
      let fg = 0;
      for (let sj = 0; sj < S; sj++) {
        for (let si = 0; si < S; si++) {
          const x = ((i + (si + 0.5) / S) / size) * 32;
          const y = ((j + (sj + 0.5) / S) / size) * 32;
          if (!(maskable || inRoundedRect(x, y, RADIUS))) continue;
          // Line coordinates, scaled about the centre for the maskable variant.
          const lx = 16 + (x - 16) / shrink;
          const ly = 16 + (y - 16) / shrink;
          let d = Infinity;
          for (let k = 1; k < LINE.length; k++) d = Math.min(d, distToSegment(lx, ly, LINE[k - 1], LINE[k]));
          if (d <= STROKE / 2) fg++;
          else bg++;
        }
      }
      const cover = (bg + fg) / (S * S);
      const o = (j * size + i) * 4;
      for (let c = 0; c < 3; c++) px[o + c] = bg + fg ? Math.round((BG[c] * bg + FG[c] * fg) / (bg + fg)) : 0;
      px[o + 3] = Math.round(cover * 255);
    }
  }
  return px;
}

const CRC = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let j = 0; j < size; j++) {
    raw[j * (size * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, j * size * 4, size * 4).copy(raw, j * (size * 4 + 1) + 1);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

mkdirSync(OUT, { recursive: true });
writeFileSync(OUT + 'icon.svg', svg());
for (const [name, size, maskable] of [['icon-192.png', 192, false], ['icon-512.png', 512, false], ['icon-maskable-512.png', 512, true]]) {
  writeFileSync(OUT + name, png(size, raster(size, maskable)));
}
console.log(`make-icons: wrote ${OUT}{icon.svg,icon-192.png,icon-512.png,icon-maskable-512.png}`);
