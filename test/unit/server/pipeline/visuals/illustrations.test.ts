// The offline illustration library on the real collections (Fluent Emoji from npm, Open Clip
// Art from Debian): which picture a shot's words get, no picture twice in a video, the plain
// card when nothing matches, every chosen picture drawing something, the mending that lets
// resvg read old Open Clip Art files, and the card's layout (words never over the picture).
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { Resvg } from "@resvg/resvg-js";
import { buildIllustrationSvg, illustrationLayout } from "../../../../../server/pipeline/visuals/card.ts";
import type { ShotClaims } from "../../../../../server/pipeline/visuals/claims.ts";
import { offlineCardText } from "../../../../../server/pipeline/visuals/draw.ts";
import { defaultEmojiCacheDir, loadEmojiIndex, readEmojiSvg } from "../../../../../server/pipeline/visuals/illustrations/emoji.ts";
import {
  buildIllustrationLibrary,
  creditOf,
  drawsSomething,
  illustrationLibrary,
  pickIllustration,
  rankIllustrations,
  readIllustrationSvg,
  withoutFilters,
} from "../../../../../server/pipeline/visuals/illustrations/library.ts";
import { decodeSvg, mendSvg, readClipartSvg, readMetadata, scanOpenClipart } from "../../../../../server/pipeline/visuals/illustrations/openclipart.ts";
import { stemsOf } from "../../../../../server/pipeline/visuals/illustrations/words.ts";
import { DIMENSIONS } from "../../../../../server/videos/brief.ts";

/** One video's claims, held in memory: a picture belongs to the first shot that claims it. */
function videoClaims() {
  const holders = new Map<string, string>();
  return (shotKey: string): ShotClaims => ({
    async claim(id) {
      if (!holders.has(id)) holders.set(id, shotKey);
      return holders.get(id) === shotKey;
    },
    async release(id) {
      if (holders.get(id) === shotKey) holders.delete(id);
    },
    async available(id) {
      return !holders.has(id) || holders.get(id) === shotKey;
    },
  });
}

/** Pixels of an SVG drawn at `width`, with the cards' font. */
const FONTS = ["Geist-Bold.ttf", "Geist-Medium.ttf"].map((f) => path.join(process.cwd(), "node_modules/geist/dist/fonts/geist-sans", f));
const pixelsOf = (svg: string, width: number) =>
  new Resvg(svg, { fitTo: { mode: "width", value: width }, font: { fontFiles: FONTS, loadSystemFonts: false, defaultFontFamily: "Geist" } }).render();

/** The share of pixels that are not transparent. */
function shownShare(svg: string) {
  const image = pixelsOf(svg, 128);
  // Each read of .pixels copies them out of resvg: read once.
  const { pixels } = image;
  let shown = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 32) shown++;
  return shown / (image.width * image.height);
}

// Checked by looking at the pictures: each query's best match shows the named thing.
const EXPECTED: [string, string[]][] = [
  ["a cup of coffee in the morning", ["cup", "coffee"]],
  ["riding a bicycle", ["bicycle"]],
  ["the ocean and waves", ["wave", "water"]],
  ["a city at night", ["city", "night"]],
  ["a doctor", ["doctor"]],
  ["a dog in the park", ["dog"]],
  ["rocket launch into space", ["rocket"]],
  ["mountains and snow", ["mountain"]],
  ["a teacher in the classroom", ["teacher"]],
  ["pizza", ["pizza"]],
  ["the sun rises", ["sun"]],
  ["planting trees in the forest", ["tree"]],
];

describe("offline illustrations: choice by key words", () => {
  test("the library holds both collections, each emoji once (no skin-tone repeats)", () => {
    const { items } = illustrationLibrary();
    const emoji = items.filter((i) => i.family === "fluent-emoji");
    const clipart = items.filter((i) => i.family === "openclipart");
    assert.ok(emoji.length > 1500 && emoji.length < 1700, `${emoji.length} emoji`);
    assert.ok(clipart.length > 7000, `${clipart.length} clip art files`);
    assert.ok(!emoji.some((i) => /-(medium-)?(light|dark)$/.test(i.sourceId) && items.some((o) => o.sourceId === i.sourceId.replace(/-[a-z-]+$/, ""))));
    assert.ok(!emoji.some((i) => i.sourceId === "fluent-emoji:artist-medium-dark"));
    assert.equal(new Set(items.map((i) => i.sourceId)).size, items.length, "no id twice");
    // emojilib's words join the emoji's own name.
    const hot = emoji.find((i) => i.sourceId === "fluent-emoji:hot-beverage")!;
    assert.ok(hot.words.includes("coffee"), hot.words.join(", "));
  });

  for (const [query, wanted] of EXPECTED) {
    test(`"${query}" gets a picture of ${wanted.join(" or ")}`, () => {
      const [best] = rankIllustrations(query);
      assert.ok(best, "something matches");
      const stems = [...best.item.primary, ...best.item.secondary];
      assert.ok(
        wanted.some((w) => stems.includes(stemsOf(w)[0]!)),
        `${best.item.sourceId}: ${best.item.words.join(", ")}`,
      );
    });
  }

  test("an exact key word ranks above a partial one, and the scene's words only help", () => {
    const ranked = rankIllustrations("bicycle");
    const exact = ranked.findIndex((r) => r.item.primary.includes("bicycl"));
    const partial = ranked.findIndex((r) => !r.item.primary.includes("bicycl") && !r.item.secondary.includes("bicycl"));
    assert.ok(exact === 0 && (partial === -1 || partial > exact));
    // Nothing in the query matches: the scene's words choose.
    const [fromScene] = rankIllustrations("zqxv", "A story about penguins");
    assert.ok(fromScene?.item.words.join(" ").toLowerCase().includes("penguin"), fromScene?.item.sourceId);
  });

  test("no picture twice in a video: 12 shots asking for the same thing get 12 pictures, each drawing something", async () => {
    const claimsFor = videoClaims();
    const ids: string[] = [];
    for (let k = 0; k < 12; k++) {
      const picked = await pickIllustration("a cup of coffee", "Coffee in the morning", claimsFor(`scene#${k}`));
      assert.ok(picked, `shot ${k + 1} got a picture`);
      ids.push(picked.item.sourceId);
      assert.ok(shownShare(picked.svg) > 0.02, `${picked.item.sourceId} draws something`);
    }
    assert.equal(new Set(ids).size, 12, ids.join(", "));
    // The same shot asking again (a retry) gets its own picture back.
    const again = await pickIllustration("a cup of coffee", "Coffee in the morning", claimsFor("scene#0"));
    assert.equal(again?.item.sourceId, ids[0]);
  });

  test("nothing matches: no picture (the card stays)", async () => {
    assert.equal(await pickIllustration("zqxv wklm", "", videoClaims()("s#0")), null);
    assert.deepEqual(rankIllustrations("the of and"), []);
  });

  test("credits and licences name the collection and, for clip art, its author", () => {
    const { items } = illustrationLibrary();
    const emoji = items.find((i) => i.sourceId === "fluent-emoji:bicycle")!;
    assert.deepEqual(creditOf(emoji), { credit: "Illustration: bicycle (Fluent Emoji, Microsoft), MIT licence", license: "MIT" });
    const clip = items.find((i) => i.family === "openclipart" && i.clipart.creator)!;
    const { credit, license } = creditOf(clip);
    assert.equal(license, "Public domain");
    assert.ok(credit.includes(` by ${clip.family === "openclipart" ? clip.clipart.creator : ""}, Open Clip Art, public domain`), credit);
  });

  test("without Open Clip Art installed, emoji alone", () => {
    const missing = mkdtempSync(path.join(tmpdir(), "aura-ill-"));
    try {
      const library = buildIllustrationLibrary({ clipartDir: path.join(missing, "no-such-folder") });
      assert.ok(library.items.length > 1500 && library.items.every((i) => i.family === "fluent-emoji"));
      assert.deepEqual(
        library.items.map((i) => (i.family === "fluent-emoji" ? i.emoji : null)),
        loadEmojiIndex(),
      );
    } finally {
      rmSync(missing, { recursive: true, force: true });
    }
  });
});

describe("offline illustrations: the emoji index's cache", () => {
  test("lives in the app's data folder, not a shared temporary one", () => {
    const before = process.env.AURA_DATA_DIR;
    process.env.AURA_DATA_DIR = "/srv/aura-data";
    try {
      assert.equal(defaultEmojiCacheDir(), "/srv/aura-data/cache/illustrations");
    } finally {
      if (before === undefined) delete process.env.AURA_DATA_DIR;
      else process.env.AURA_DATA_DIR = before;
    }
  });
  test("a corrupt or foreign cache file is rebuilt, not trusted", () => {
    const root = mkdtempSync(path.join(tmpdir(), "aura-ill-cache-"));
    const dir = path.join(root, "cache", "illustrations");
    try {
      const built = loadEmojiIndex(dir);
      assert.equal(statSync(dir).mode & 0o777, 0o700);
      const [file, ...others] = readdirSync(dir);
      // Written whole and renamed: no part file is left.
      assert.ok(file?.endsWith(".json") && others.length === 0, String([file, ...others]));
      const cacheFile = path.join(dir, file!);
      const written = readFileSync(cacheFile, "utf8");
      assert.deepEqual(JSON.parse(written), built);
      const foreign = [
        '[{"name": "grinning-face", "words"',
        '{"icons": {}}',
        "[]",
        JSON.stringify([{ name: "x", words: ["x"], offset: -5, length: 10, width: 32, height: 32 }]),
        // Past the end of icons.json.
        JSON.stringify([{ name: "x", words: ["x"], offset: 1e12, length: 10, width: 32, height: 32 }]),
      ];
      for (const text of foreign) {
        writeFileSync(cacheFile, text);
        assert.deepEqual(loadEmojiIndex(dir), built, text);
        assert.equal(readFileSync(cacheFile, "utf8"), written, text);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("offline illustrations: drawn without filters", () => {
  test("filter elements, attributes and style properties go; shapes, gradients and the rest of the style stay", () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><defs><filter id="f" x="0" y="0"><feGaussianBlur stdDeviation="1"/><feComposite in2="SourceGraphic"/></filter><svg:filter id="g"/><linearGradient id="l"><stop offset="0" stop-color="red"/></linearGradient></defs><circle cx="5" cy="5" r="4" fill="url(#l)" filter="url(#f)"/><rect width="2" height="2" style="fill:blue;filter:url(#g);opacity:0.5" filterRes="2"/></svg>`;
    const clean = withoutFilters(svg);
    assert.doesNotMatch(clean, /<(svg:)?filter\b|feComposite|feGaussianBlur|\sfilter=|filter:/);
    assert.match(clean, /<circle cx="5" cy="5" r="4" fill="url\(#l\)"\/>/);
    assert.match(clean, /style="fill:blue;opacity:0.5"/);
    assert.match(clean, /<linearGradient id="l">/);
    assert.ok(drawsSomething(clean));
  });

  test("every picture the library reads comes without filters (the emoji use them widely)", () => {
    const lib = illustrationLibrary();
    const withFilters = lib.items.filter((item) => item.family === "fluent-emoji").slice(0, 50);
    assert.ok(
      withFilters.some((item) => item.family === "fluent-emoji" && /<filter/.test(readEmojiSvg(item.emoji))),
      "the sample has filters to remove",
    );
    for (const item of withFilters) assert.doesNotMatch(readIllustrationSvg(item), /<filter\b|\sfilter=/, item.sourceId);
  });
});

describe("offline illustrations: Open Clip Art files made readable", () => {
  const body = '<rect x="10" y="10" width="80" height="80" fill="#d01010"/>';
  test("a Latin-1 file is read as Latin-1", () => {
    const bytes = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><title>Caf\xe9</title>${body}</svg>`, "latin1");
    assert.throws(() => new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    const text = decodeSvg(bytes);
    assert.ok(text.includes("Café"));
    assert.ok(shownShare(mendSvg(text)) > 0.5);
  });
  test("a DOCTYPE with entities (as Illustrator writes them) is resolved and removed", () => {
    const svg = `<?xml version="1.0"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.0//EN" "http://www.w3.org/TR/2001/REC-SVG-20010904/DTD/svg10.dtd" [
  <!ENTITY ns_svg "http://www.w3.org/2000/svg">
  <!ENTITY ns_xlink "http://www.w3.org/1999/xlink">
]>
<svg xmlns="&ns_svg;" xmlns:xlink="&ns_xlink;" width="100" height="100">${body}</svg>`;
    const mended = mendSvg(svg);
    assert.ok(!mended.includes("DOCTYPE") && !mended.includes("&ns_") && mended.includes('xmlns="http://www.w3.org/2000/svg"'), mended);
    assert.ok(shownShare(mended) > 0.5);
  });
  test("missing namespaces are declared", () => {
    const svg = `<svg width="100" height="100" sodipodi:docname="x.svg"><metadata><rdf:RDF><cc:Work/></rdf:RDF></metadata>${body}</svg>`;
    assert.throws(() => pixelsOf(svg, 64));
    const mended = mendSvg(svg);
    assert.ok(shownShare(mended) > 0.5);
  });
  // Two colours, so that drawn alone it passes the blank check.
  const png = new Resvg(
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="20" fill="#d01010"/><rect y="20" width="40" height="20" fill="#1010d0"/></svg>',
  )
    .render()
    .asPng()
    .toString("base64");
  const imageOnly = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="100"><metadata><rdf:RDF><cc:Work><dc:title>zebracorn</dc:title></cc:Work></rdf:RDF></metadata><g><image x="0" y="0" width="100" height="100" xlink:href="data:image/png;base64,${png}"/></g></svg>`;
  test("a picture that is only an embedded PNG is blank, as the card would show it", () => {
    // Drawn alone resvg shows the PNG; nested in the card (as a data: <image>) it drops it.
    const mended = mendSvg(imageOnly);
    assert.ok(drawsSomething(imageOnly.replace("<svg ", '<svg xmlns:rdf="urn:r" xmlns:cc="urn:c" xmlns:dc="urn:d" ')));
    assert.ok(!mended.includes("<image") && !mended.includes("base64"), mended);
    assert.equal(drawsSomething(mended), false);
    const dir = mkdtempSync(path.join(tmpdir(), "aura-ill-"));
    try {
      mkdirSync(path.join(dir, "animals"));
      writeFileSync(path.join(dir, "animals/zebracorn.svg"), imageOnly);
      const [entry] = scanOpenClipart(dir);
      assert.equal(entry?.title, "zebracorn");
      assert.equal(drawsSomething(readClipartSvg(entry!, dir)), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  test("images and links to anything outside the file are removed; links inside it stay", () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="100">
<defs><rect id="box" width="80" height="80" fill="#d01010"/></defs>
<image href="/etc/passwd" width="10" height="10"/>
<svg:image xlink:href='file:///etc/hostname' width="10" height="10">
  <title>a > b</title>
</svg:image>
<use xlink:href="other.svg#box"/><use href = "http://example.com/x.svg#box"/><feImage xlink:href="/etc/passwd"/>
<use x="10" y="10" xlink:href="#box"/><a href="https://example.com"><circle cx="5" cy="5" r="4" fill="#1010d0"/></a>
</svg>`;
    const mended = mendSvg(svg);
    for (const gone of ["<image", "image>", "/etc/passwd", "/etc/hostname", "other.svg", "example.com"])
      assert.ok(!mended.includes(gone), `${gone}: ${mended}`);
    assert.ok(mended.includes('<use x="10" y="10" xlink:href="#box"/>') && mended.includes("<circle"), mended);
    assert.ok(drawsSomething(mended));
  });
  test("title, subjects and author come from the RDF metadata", () => {
    const head = `<metadata><rdf:RDF><cc:Work><dc:title>Red &amp; blue bicycle</dc:title><dc:subject><rdf:Bag><rdf:li>bike</rdf:li><rdf:li>transport</rdf:li></rdf:Bag></dc:subject>
<dc:publisher><cc:Agent><dc:title>Open Clip Art Library</dc:title></cc:Agent></dc:publisher><dc:creator><cc:Agent><dc:title>Jane Doe</dc:title></cc:Agent></dc:creator></cc:Work></rdf:RDF></metadata>`;
    assert.deepEqual(readMetadata(head), { title: "Red & blue bicycle", subjects: ["bike", "transport"], creator: "Jane Doe" });
  });
});

describe("offline illustrations: the card", () => {
  const art = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" viewBox="0 0 10 10"><circle cx="5" cy="5" r="5" fill="#10d010"/></svg>';
  const title = "How a morning cup of coffee wakes up your brain and keeps it busy until the afternoon";
  const sizes = (Object.keys(DIMENSIONS) as (keyof typeof DIMENSIONS)[]).flatMap((aspect) => [1, 2].map((scale) => ({ aspect, scale })));

  test("covers 16:9, 9:16, 1:1 and 4:5", () => {
    assert.deepEqual(Object.keys(DIMENSIONS).sort(), ["16:9", "1:1", "4:5", "9:16"]);
  });

  for (const { aspect, scale } of sizes) {
    const W = DIMENSIONS[aspect].width * scale;
    const H = DIMENSIONS[aspect].height * scale;
    test(`${aspect} at ${W}x${H}: the words are drawn only outside the picture's panel, inside the frame`, () => {
      const { art: box } = illustrationLayout(W, H);
      const input = { label: "Coffee", index: 0, total: 3, style: "modern" as const, width: W, height: H, art };
      const withText = pixelsOf(buildIllustrationSvg({ ...input, title }), W).pixels;
      // Blank words of the same length: the same shapes behind (they are seeded by it).
      const without = pixelsOf(buildIllustrationSvg({ ...input, title: " ".repeat(title.length) }), W).pixels;
      let drawn = 0;
      let inside = 0;
      let atEdge = 0;
      const edge = Math.round(Math.min(W, H) * 0.03);
      for (let y = 0; y < H; y++)
        for (let x = 0; x < W; x++) {
          const i = (y * W + x) * 4;
          if (withText[i] === without[i] && withText[i + 1] === without[i + 1] && withText[i + 2] === without[i + 2]) continue;
          drawn++;
          if (x >= box.x - 2 && x <= box.x + box.width + 2 && y >= box.y - 2 && y <= box.y + box.height + 2) inside++;
          if (x < edge || y < edge || x >= W - edge || y >= H - edge) atEdge++;
        }
      assert.ok(drawn > W * H * 0.005, `the words are drawn (${drawn} pixels)`);
      assert.equal(inside, 0, "no word over the picture");
      assert.equal(atEdge, 0, "no word at the frame's edge");
      // The picture itself is there, large: its green fills much of the panel.
      let green = 0;
      for (let i = 0; i < withText.length; i += 4) if (withText[i + 1]! > 180 && withText[i]! < 60 && withText[i + 2]! < 60) green++;
      assert.ok(green > box.width * box.height * 0.4, `the picture fills its panel (${green} px)`);
    });
  }

  test("at 2160p the picture and the words keep their places, twice the size", () => {
    for (const { width, height } of Object.values(DIMENSIONS)) {
      const small = illustrationLayout(width, height);
      const large = illustrationLayout(width * 2, height * 2);
      for (const part of ["art", "text"] as const)
        for (const side of ["x", "y", "width", "height"] as const) assert.ok(Math.abs(large[part][side] - 2 * small[part][side]) < 1e-6);
    }
  });

  test("user text is escaped", () => {
    const svg = buildIllustrationSvg({
      title: `<script>alert("x")</script> & more`,
      label: "<b>",
      index: 0,
      total: 1,
      style: "bold",
      width: 1920,
      height: 1080,
      art,
    });
    assert.ok(!svg.includes("<script>") && !svg.includes("<b>"));
    assert.ok(svg.includes("&lt;script&gt;"));
  });

  test("the scene's title is on its first shot only; later shots carry their own words", () => {
    const scene = { title: "Coffee wakes you up" };
    assert.equal(offlineCardText(scene, { query: "steaming cup on a table" }, 0), "Coffee wakes you up");
    assert.equal(offlineCardText(scene, { query: "steaming cup on a table" }, 1), "Steaming cup on a table");
    assert.equal(offlineCardText(scene, { query: "  " }, 2), "Coffee wakes you up");
  });
});
