// What paid generation costs, in one place, for the monthly spend limit. These are ESTIMATES:
// Aura never sees the provider's bill, so the limit counts what these prices say.
//
// Sources (list prices as published when this was written; check them before relying on them):
// - Sora 2 video, billed per second of clip: sora-2 $0.10/s (1280x720, 720x1280); sora-2-pro
//   $0.30/s at 720p and $0.50/s at 1792x1024 / 1024x1792 (OpenAI API pricing page,
//   openai.com/api/pricing, "Video", since the API launch of 7 October 2025).
// - gpt-image-1, per output image by quality and size: low $0.011 / $0.016, medium $0.042 /
//   $0.063, high $0.167 / $0.25 (1024x1024 / 1536x1024 or 1024x1536; OpenAI's image pricing,
//   as fal.ai lists it for the same model). Aura does not ask for a quality, so the API picks
//   ("auto"): the estimate takes the high price.
// - DALL·E 3 standard $0.04 (1024x1024) / $0.08 (1792x1024); DALL·E 2 $0.02 (1024x1024)
//   (openai.com/pricing, December 2023).
// A model not in the table (an OpenAI-compatible server's own) is priced as the dearest model
// of its kind here, so an unknown model never passes a limit by being unknown.

export type Orientation = "landscape" | "portrait" | "square";

/** US dollars per second of AI video, by model and output size. */
const VIDEO_PER_SECOND: Record<string, { standard: number; hd: number }> = {
  "sora-2": { standard: 0.1, hd: 0.1 },
  "sora-2-pro": { standard: 0.3, hd: 0.5 },
};

/** US dollars per AI image, by model and shape (square, or the wide and tall sizes). */
const IMAGE_EACH: Record<string, { square: number; other: number }> = {
  "gpt-image-1": { square: 0.167, other: 0.25 },
  "dall-e-3": { square: 0.04, other: 0.08 },
  "dall-e-2": { square: 0.02, other: 0.02 },
};

/** A dated snapshot ("sora-2-2025-10-06") is priced as its model. */
const familyOf = (model: string, known: string[]) => known.filter((k) => model === k || model.startsWith(`${k}-`)).sort((a, b) => b.length - a.length)[0];

const round4 = (usd: number) => Math.round(usd * 10_000) / 10_000;

/** The estimated price of one AI video clip: `seconds` long, at `size` ("1280x720"). */
export function videoClipPrice(model: string, seconds: number, size: string) {
  const family = familyOf(model, Object.keys(VIDEO_PER_SECOND));
  const rates = family ? VIDEO_PER_SECOND[family]! : { standard: 0.5, hd: 0.5 };
  const hd = Math.max(...size.split("x").map(Number)) > 1280;
  return round4(seconds * (hd ? rates.hd : rates.standard));
}

/** The estimated price of one AI image of this model in this orientation. */
export function imagePrice(model: string, orientation: Orientation) {
  const family = familyOf(model, Object.keys(IMAGE_EACH));
  const price = family ? IMAGE_EACH[family]! : { square: 0.25, other: 0.25 };
  return round4(orientation === "square" ? price.square : price.other);
}

/** Dollars as people read them: "$0.80", "$12.35". */
export const formatUsd = (usd: number) => `$${usd.toFixed(2)}`;
