// Which clip a shot gets and which of its files: the rules that the integration test exercises
// end to end, here one at a time with the sizes real stock answers list.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, describe, test } from "node:test";
import { setTestEnv } from "../../../../helpers/env.ts";

const env = setTestEnv({ DATABASE_URL: "postgresql://unused@127.0.0.1:9/none", PEXELS_VIDEO_HOSTS: "videos.pexels.com" });
after(() => rmSync(env.dir, { recursive: true, force: true }));
const { chooseFile, orientationOf, rankClips } = await import("../../../../../server/providers/videos/choose.ts");
const { mediaHosts } = await import("../../../../../server/providers/media-hosts.ts");
const { slugWords } = await import("../../../../../server/providers/videos/pexels.ts");
const { tagWords } = await import("../../../../../server/providers/videos/pixabay.ts");
import type { ClipCandidate, ClipFile, ClipWanted } from "../../../../../server/providers/videos/types.ts";

const MB = 1024 * 1024;
const f = (width: number, height: number, more: Partial<ClipFile> = {}): ClipFile => ({
  url: `https://videos.pexels.com/video-files/1/${width}x${height}.mp4`,
  width,
  height,
  mime: "video/mp4",
  ...more,
});
const hd = { width: 1280, height: 720 };
const fullHd = { width: 1920, height: 1080 };

describe("the file of a clip", () => {
  // The files Pexels lists for one landscape clip.
  const files = [f(3840, 2160), f(2560, 1440), f(1920, 1080), f(1280, 720), f(960, 540), f(640, 360)];

  test("the smallest file at least the output's size: no 4K for a 720p video", () => {
    assert.deepEqual(chooseFile(files, hd, 150 * MB), { file: files[3], coversSize: true });
    assert.deepEqual(chooseFile(files, fullHd, 150 * MB), { file: files[2], coversSize: true });
    assert.deepEqual(chooseFile(files, { width: 2160, height: 3840 }, 150 * MB)?.coversSize, false);
  });

  test("else the largest below it", () => {
    assert.deepEqual(chooseFile(files.slice(3), fullHd, 150 * MB), { file: files[3], coversSize: false });
  });

  test("a file a few pixels short of the output's size (under 4%) counts as that size; more short does not", () => {
    const near = [f(3840, 2088), f(1920, 1044)];
    assert.equal(chooseFile(near, fullHd, 150 * MB)?.file, near[1]);
    const wide = [f(3840, 2026), f(2560, 1350), f(1920, 1012)];
    assert.equal(chooseFile(wide, fullHd, 150 * MB)?.file, wide[1]);
  });

  test("MP4 files are preferred, and a file declared over the size cap is passed over", () => {
    const webm = f(1280, 720, { mime: "video/webm", url: "https://videos.pexels.com/a.webm" });
    assert.equal(chooseFile([webm, f(1920, 1080)], hd, 150 * MB)?.file.width, 1920);
    assert.equal(chooseFile([webm], hd, 150 * MB)?.file, webm, "a WebM file when there is nothing else");
    // Pixabay gives no type: the URL's extension says it.
    assert.equal(chooseFile([f(1280, 720, { mime: undefined })], hd, 150 * MB)?.coversSize, true);
    const heavy = f(1280, 720, { bytes: 200 * MB });
    assert.equal(chooseFile([heavy, f(1920, 1080, { bytes: 90 * MB })], hd, 150 * MB)?.file.width, 1920);
    assert.equal(chooseFile([heavy], hd, 150 * MB), null);
    assert.equal(chooseFile([f(0, 0)], hd, 150 * MB), null);
  });
});

describe("the clip of a shot", () => {
  const clip = (id: number, durationSec: number, files: ClipFile[]): ClipCandidate => ({
    sourceId: `pexels-video:${id}`,
    durationSec,
    width: files[0]!.width,
    height: files[0]!.height,
    files,
    credit: "",
    sourceUrl: "",
    words: [],
  });
  const wanted = (over: Partial<ClipWanted> = {}): ClipWanted => ({
    query: "city",
    orientation: "landscape",
    ...fullHd,
    minDurationSec: 6,
    claim: async () => true,
    release: async () => {},
    dir: "/nonexistent",
    ...over,
  });
  const hosts = mediaHosts("PEXELS_VIDEO_HOSTS", "https://api.pexels.com");

  test("orientations, with near-squares as squares", () => {
    assert.deepEqual(
      [orientationOf(1920, 1080), orientationOf(1080, 1920), orientationOf(1080, 1080), orientationOf(1080, 1030), orientationOf(1080, 1350)],
      ["landscape", "portrait", "square", "square", "portrait"],
    );
  });

  test("long enough first, then covering the output's size, then the provider's order; the wrong orientation never", () => {
    const candidates = [
      clip(1, 4, [f(1920, 1080)]), // too short
      clip(2, 10, [f(1280, 720)]), // long enough, too small
      clip(3, 8, [f(1080, 1920)]), // portrait
      clip(4, 30, [f(3840, 2160), f(1920, 1080)]),
      clip(5, 12, [f(2560, 1440)]),
      clip(6, 5, [f(960, 540)]), // too short and too small
      clip(7, 9, [f(960, 540)]), // long enough, smaller still
    ];
    const { ranked, foreignHosts } = rankClips(candidates, wanted(), { hosts, maxBytes: 150 * MB });
    assert.deepEqual(
      ranked.map((r) => `${r.candidate.sourceId.split(":")[1]}@${r.file.width}`),
      ["4@1920", "5@2560", "2@1280", "7@960", "1@1920", "6@960"],
    );
    assert.deepEqual(foreignHosts, []);
    assert.deepEqual(
      rankClips(candidates, wanted({ orientation: "portrait", width: 1080, height: 1920 }), { hosts, maxBytes: 150 * MB }).ranked.map(
        (r) => r.candidate.sourceId,
      ),
      ["pexels-video:3"],
    );
  });

  test("files on other hosts are left out and named", () => {
    const elsewhere = clip(8, 10, [f(1920, 1080, { url: "http://169.254.169.254/latest/meta-data.mp4" })]);
    const mixed = clip(9, 10, [f(3840, 2160, { url: "https://evil.example/4k.mp4" }), f(1280, 720)]);
    const { ranked, foreignHosts } = rankClips([elsewhere, mixed], wanted(), { hosts, maxBytes: 150 * MB });
    assert.deepEqual(
      ranked.map((r) => [r.candidate.sourceId, r.file.width]),
      [["pexels-video:9", 1280]],
      "of clip 9, only the file on Pexels' host",
    );
    assert.deepEqual(foreignHosts.sort(), ["169.254.169.254", "evil.example"]);
    // The API's own host is allowed too (a self-hosted mirror serves both).
    assert.ok(mediaHosts("PEXELS_VIDEO_HOSTS", "http://127.0.0.1:8080").allows("http://127.0.0.1:8080/v/1.mp4"));
    assert.ok(!hosts.allows("ftp://videos.pexels.com/1.mp4"));
    assert.ok(!hosts.allows("not a url"));
  });
});

describe("the words of an asset", () => {
  test("a Pexels page URL's slug, without its id", () => {
    assert.deepEqual(slugWords("https://www.pexels.com/video/a-woman-walking-on-the-beach-3571264/"), ["a", "woman", "walking", "on", "the", "beach"]);
    assert.deepEqual(slugWords("https://www.pexels.com/video/3571264/"), []);
    assert.deepEqual(slugWords("https://www.pexels.com/video/caf%C3%A9-in-paris-12/"), ["café", "in", "paris"]);
    assert.deepEqual(slugWords("https://www.pexels.com/video/bad-%E0%A4%A-1/"), []);
    assert.deepEqual(slugWords(""), []);
  });

  test("Pixabay's tags, one word each", () => {
    assert.deepEqual(tagWords("sea, Ocean Waves, beach, sea"), ["sea", "ocean", "waves", "beach"]);
    assert.deepEqual(tagWords(""), []);
  });
});
