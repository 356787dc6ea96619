import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { acceptedExtensions, kindOfName } from "../../../../server/library/kinds.ts";

describe("the kind a file name stands for", () => {
  test("by its extension, in any case", () => {
    assert.equal(kindOfName("Harbour.PNG"), "image");
    assert.equal(kindOfName("logo.webp"), "image");
    assert.equal(kindOfName("take 2.mov"), "video");
    assert.equal(kindOfName("intro.webm"), "video");
    assert.equal(kindOfName("theme.flac"), "audio");
    assert.equal(kindOfName("voice-over.m4a"), "audio");
  });

  test("none for other extensions or none at all", () => {
    for (const name of ["notes.txt", "movie.mp4.exe", "mp4", "archive.tar.gz", "picture.gif", ""]) assert.equal(kindOfName(name), null, name);
    assert.match(acceptedExtensions(), /^pictures \(\.png, \.jpg, \.jpeg, \.webp\), video clips \(\.mp4, .*\), audio files \(\.mp3, /);
  });
});
