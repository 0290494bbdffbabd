// Rebuilds public/favicon.ico from public/icon.svg (the app's mark): Debian's
// Chromium renders the SVG at 16, 32 and 48 px, and the PNGs go into one ICO
// file (ICO entries may hold PNG data). Run after changing the mark:
//   node scripts/favicon.mjs
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "@playwright/test";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SIZES = [16, 32, 48];
const svg = fs.readFileSync(path.join(root, "public", "icon.svg"), "utf8");

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage();
const pngs = [];
for (const size of SIZES) {
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(`<body style="margin:0">${svg.replace(/width="32" height="32"/, `width="${size}" height="${size}"`)}</body>`);
  pngs.push(await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } }));
}
await browser.close();

// ICONDIR (reserved, type 1 = icon, count), one 16-byte ICONDIRENTRY per image, then the images.
const header = Buffer.alloc(6 + 16 * SIZES.length);
header.writeUInt16LE(0, 0);
header.writeUInt16LE(1, 2);
header.writeUInt16LE(SIZES.length, 4);
let offset = header.length;
SIZES.forEach((size, i) => {
  const at = 6 + 16 * i;
  header.writeUInt8(size % 256, at);
  header.writeUInt8(size % 256, at + 1);
  header.writeUInt16LE(1, at + 4); // colour planes
  header.writeUInt16LE(32, at + 6); // bits per pixel
  header.writeUInt32LE(pngs[i].length, at + 8);
  header.writeUInt32LE(offset, at + 12);
  offset += pngs[i].length;
});
fs.writeFileSync(path.join(root, "public", "favicon.ico"), Buffer.concat([header, ...pngs]));
console.log(`public/favicon.ico: ${SIZES.join(", ")} px`);
