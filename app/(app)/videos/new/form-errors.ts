// The brief form's refused fields as a person reads them: each field's own label and control
// (so the summary at the top can link to it), in the order the form shows them, and each
// message in plain words. The brief's own messages already are ("Target length must be at most
// 180 seconds"); anything else (a schema path in front, a validator's own wording such as
// "Expected number, received string") is put in words that name the field instead.

/** Each field that can be refused: its label and the id of its control, in the form's order. */
export const FIELDS: readonly { key: string; label: string; id: string }[] = [
  { key: "topic", label: "Topic or prompt", id: "topic" },
  { key: "language", label: "Language", id: "language" },
  { key: "audience", label: "Audience", id: "audience" },
  { key: "tone", label: "Tone", id: "tone" },
  { key: "targetLengthSec", label: "Target length", id: "targetLengthSec" },
  { key: "useKnowledge", label: "Reference documents", id: "useKnowledge" },
  { key: "aspectRatio", label: "Aspect ratio", id: "aspectRatio" },
  { key: "visualStyle", label: "Visual style", id: "visualStyle-modern" },
  { key: "brand.use", label: "Brand kit", id: "brandUse" },
  { key: "brand.logo", label: "Brand logo", id: "brandLogo" },
  { key: "brand.music", label: "Brand music", id: "brandMusic" },
  { key: "transition", label: "Transition", id: "transition" },
  { key: "titles", label: "Opening title and scene names", id: "titles" },
  { key: "watermark.text", label: "Watermark text", id: "watermarkText" },
  { key: "watermark.position", label: "Watermark position", id: "watermarkPosition" },
  { key: "voice", label: "Voice", id: "voice" },
  { key: "music", label: "Music bed", id: "music" },
  { key: "transitionSound", label: "Transition sound", id: "transitionSound" },
  { key: "captionsMode", label: "Captions", id: "captionsMode" },
  { key: "captions", label: "Captions", id: "captionsMode" },
  { key: "quality", label: "Quality", id: "quality" },
  { key: "reviewScript", label: "Script review", id: "reviewScript" },
  { key: "captionSize", label: "Caption size", id: "captionSize" },
  { key: "captionPosition", label: "Caption position", id: "captionPosition" },
  { key: "captionHighlight", label: "Word highlighting", id: "captionHighlight" },
  { key: "resolution", label: "Resolution", id: "resolution" },
  { key: "format", label: "Format", id: "format" },
];

export type FieldProblem = { key: string; label: string; id: string; message: string };

/** A validator's own wording rather than a sentence written for people. */
const MACHINE_WORDING = /\b(expected|received|invalid (input|type|option|enum|union|value)|nan|undefined|null)\b/i;
/** "brief.targetLengthSec: " or "watermark.text: " in front of a message. */
const PATH_PREFIX = /^[A-Za-z_$][\w$]*(\.[\w$]+)*:\s+/;

/** The message as the form shows it: without a path in front, and in plain words. */
export function plainMessage(label: string, message: string) {
  const text = message.replace(PATH_PREFIX, "").trim();
  if (!text || MACHINE_WORDING.test(text)) return `${label} needs a different value: choose one from the list or type it again.`;
  return text;
}

/**
 * The field messages of a refused brief (field key → message, as `fieldErrors` gives them, from
 * the browser's check or the server's), as problems in the form's order. A key the form has no
 * field for is left out (the caller shows it with the form's own message).
 */
export function fieldProblems(errors: Record<string, string>): FieldProblem[] {
  return FIELDS.flatMap((field) => {
    const message = errors[field.key];
    return message ? [{ ...field, message: plainMessage(field.label, message) }] : [];
  }).filter((p, i, all) => all.findIndex((q) => q.id === p.id) === i);
}

/** Messages for keys no field shows, joined, for the form's own line; null when there are none. */
export function otherProblems(errors: Record<string, string>) {
  const known = new Set(FIELDS.map((f) => f.key));
  const rest = Object.entries(errors).filter(([key]) => !known.has(key));
  if (!rest.length) return null;
  return rest.map(([key, message]) => (key === "form" ? message : plainMessage("This brief", message))).join(" ");
}

/** "1 field needs attention", "2 fields need attention". */
export const summaryTitle = (count: number) => (count === 1 ? "1 field needs attention" : `${count} fields need attention`);
