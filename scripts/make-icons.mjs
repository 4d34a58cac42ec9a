#!/usr/bin/env node
// Draws the extension's toolbar icon (a white flag on a deep-red rounded square) at every size Chrome and
// Firefox ask for, into extension/public/icon/<size>.png, where WXT finds them. Plain Node: each pixel is
// sampled 4x4 for smooth edges, then written as an RGBA PNG. Rerun after changing the drawing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { ROOT } from './lib/env.mjs';

const SIZES = [16, 32, 48, 96, 128];
const BACKGROUND = [153, 27, 27];
const FLAG = [255, 255, 255];

/** What covers a point of the unit square: 'flag', 'background' or nothing (outside the rounded corners). */
function paint(x, y) {
  const r = 0.18;
  const cx = Math.min(Math.max(x, r), 1 - r);
  const cy = Math.min(Math.max(y, r), 1 - r);
  if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) return null;
  const pole = x >= 0.27 && x <= 0.35 && y >= 0.18 && y <= 0.84;
  // The cloth: from the pole to the right, its far edge notched like a pennant.
  const cloth = x > 0.35 && x <= 0.78 && y >= 0.2 && y <= 0.56 && !(x > 0.62 && Math.abs(y - 0.38) < (x - 0.62) * 1.1);
  return pole || cloth ? FLAG : BACKGROUND;
}

function pixels(size) {
  const rows = [];
  const n = 4;
  for (let py = 0; py < size; py++) {
    const row = [0]; // PNG filter type 0 for this row
    for (let px = 0; px < size; px++) {
      let [r, g, b, a] = [0, 0, 0, 0];
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const colour = paint((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size);
          if (!colour) continue;
          r += colour[0];
          g += colour[1];
          b += colour[2];
          a += 1;
        }
      }
      row.push(a ? Math.round(r / a) : 0, a ? Math.round(g / a) : 0, a ? Math.round(b / a) : 0, Math.round((a / (n * n)) * 255));
    }
    rows.push(...row);
  }
  return Buffer.from(rows);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes) => {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

function png(size) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels(size), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const dir = join(ROOT, 'extension', 'public', 'icon');
mkdirSync(dir, { recursive: true });
for (const size of SIZES) writeFileSync(join(dir, `${size}.png`), png(size));
console.log(`Wrote ${SIZES.map((s) => `${s}.png`).join(', ')} to extension/public/icon/`);
