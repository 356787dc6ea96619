// The brief form's refused fields as the summary shows them: in the form's order whatever order
// the schema reported them in, each with its label and control, the brief's own plain messages
// kept, and a validator's wording or a schema path in front turned into words naming the field.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { FIELDS, fieldProblems, otherProblems, plainMessage, summaryTitle } from "../../../../app/(app)/videos/new/form-errors.ts";
import { briefSchema, fieldErrors } from "../../../../server/videos/brief.ts";

describe("brief form errors", () => {
  test("a refused brief's fields, in the form's order, with their labels and plain messages", () => {
    const parsed = briefSchema.safeParse({
      topic: "",
      audience: "x",
      tone: "informative",
      targetLengthSec: "500",
      aspectRatio: "16:9",
      voice: "en-us-male",
      visualStyle: "modern",
    });
    assert.equal(parsed.success, false);
    const problems = fieldProblems(fieldErrors(parsed.error!));
    assert.deepEqual(
      problems.map((p) => [p.label, p.id, p.message]),
      [
        ["Topic or prompt", "topic", "Topic must be at least 3 characters"],
        ["Audience", "audience", "Audience must be at least 2 characters"],
        ["Target length", "targetLengthSec", "Target length must be at most 180 seconds"],
      ],
    );
    assert.equal(summaryTitle(problems.length), "3 fields need attention");
    assert.equal(summaryTitle(1), "1 field needs attention");
  });

  test("no schema path and no validator wording reaches the form", () => {
    assert.equal(
      plainMessage("Target length", "brief.targetLengthSec: Target length must be a number of seconds"),
      "Target length must be a number of seconds",
    );
    assert.equal(
      plainMessage("Target length", "Expected number, received string"),
      "Target length needs a different value: choose one from the list or type it again.",
    );
    assert.equal(plainMessage("Tone", 'Invalid option: expected one of "a"|"b"'), "Tone needs a different value: choose one from the list or type it again.");
    const problems = fieldProblems({ "watermark.position": "Invalid input", captions: "Expected boolean, received string" });
    assert.deepEqual(
      problems.map((p) => `${p.label}: ${p.message}`),
      [
        "Watermark position: Watermark position needs a different value: choose one from the list or type it again.",
        "Captions: Captions needs a different value: choose one from the list or type it again.",
      ],
    );
    for (const p of problems) assert.doesNotMatch(p.message, /watermark\.|expected|received/i);
  });

  test("every control the summary links to is named once, and unknown keys go to the form's own line", () => {
    assert.equal(new Set(FIELDS.map((f) => f.key)).size, FIELDS.length);
    assert.equal(otherProblems({ topic: "Topic must not be empty" }), null);
    assert.equal(otherProblems({ form: "This workspace has reached its videos per day." }), "This workspace has reached its videos per day.");
    assert.equal(
      otherProblems({ brand: "Expected object, received string" }),
      "This brief needs a different value: choose one from the list or type it again.",
    );
  });
});
