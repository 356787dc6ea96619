import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { findUnusableText, normaliseText, textField, truncateText, unusableTextReason, visibleLength } from "../../../../server/text/policy.ts";

describe("text policy", () => {
  test("a NUL or a lone surrogate anywhere in a request is found, with the path of its field", () => {
    assert.deepEqual(findUnusableText({ brief: { topic: "ok", tags: ["a", "b\u0000"] } }), { field: "brief.tags.1", reason: "contains a NUL character" });
    assert.equal(findUnusableText({ name: "x\uD800y" })?.field, "name");
    assert.equal(findUnusableText({ name: "x\uDC00" })?.field, "name");
    assert.match(findUnusableText({ "k\u0000": 1 })!.reason, /field name/);
    assert.equal(findUnusableText({ name: "emoji 😀 and 👩‍👩‍👧 are whole", n: 3, ok: null }), null);
  });

  test("free text is normalised: NFC, one kind of line break, no control characters", () => {
    assert.equal(normaliseText("  Cafe\u0301\r\nbar\tbaz\u0007\u001b[31m\u0085 "), "Café bar baz[31m");
    assert.equal(normaliseText("one\r\ntwo\rthree\fpage", { multiline: true }), "one\ntwo\nthree\npage");
  });

  test("a field refuses what can never be stored, naming itself, and counts length after normalising", () => {
    const topic = textField("Topic", { min: 3, max: 10 });
    assert.deepEqual(
      topic.safeParse("ab\u0000cd").error?.issues.map((i) => i.message),
      ["Topic contains a NUL character"],
    );
    assert.match(topic.safeParse("x\uD83Dy").error!.issues[0]!.message, /^Topic contains a broken character/);
    assert.equal(topic.parse("a\u0007b\u0007c"), "abc");
    assert.equal(topic.safeParse("\u0007\u0007 a").error?.issues[0]?.message, "Topic must be at least 3 characters");
  });

  test("text is cut between characters, never inside an emoji, at a word when one is near", () => {
    const family = "👩‍👩‍👧‍👦";
    const cut = truncateText(family.repeat(20), 30);
    assert.ok(cut.length <= 30 && unusableTextReason(cut) === null, cut);
    assert.equal(cut, `${family.repeat(2)}…`);
    assert.equal(visibleLength(cut), 3);
    assert.equal(truncateText("the tides rise and fall twice a day", 20), "the tides rise and…");
    assert.equal(truncateText("short", 20), "short");
  });

  test("any depth of nesting is walked without running out of stack", () => {
    let deep: unknown = "bad\u0000";
    for (let i = 0; i < 200_000; i++) deep = [deep];
    assert.equal(findUnusableText(deep)?.reason, "contains a NUL character");
  });
});
