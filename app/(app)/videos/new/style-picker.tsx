// The brief's visual style as a choice of pictures: each style shows the same sample card drawn
// in it by the offline visuals' own code (public/styles/<style>.webp, from
// scripts/make-app-assets.ts). Radio buttons underneath, so arrow keys move between styles.
import { VISUAL_STYLES } from "@/server/videos/brief";
import { errorIdOf } from "../../../_components/field";

export function StylePicker({ error }: { error?: string }) {
  return (
    <fieldset className="min-w-0" aria-describedby={error ? errorIdOf("visualStyle") : undefined}>
      <legend className="text-sm font-medium text-slate-700">Visual style</legend>
      <div className="mt-1 grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-5">
        {VISUAL_STYLES.map((style) => (
          <label
            key={style}
            className="cursor-pointer rounded-md border border-slate-300 p-1.5 text-sm text-slate-700 hover:bg-slate-50 has-checked:border-sky-600 has-checked:bg-sky-50 has-checked:ring-2 has-checked:ring-sky-200 has-focus-visible:outline-2 has-focus-visible:outline-sky-500"
          >
            <input
              type="radio"
              id={`visualStyle-${style}`}
              name="visualStyle"
              value={style}
              defaultChecked={style === "modern"}
              className="sr-only"
              aria-invalid={error ? true : undefined}
            />
            <img src={`/styles/${style}.webp`} alt="" width={320} height={180} className="aspect-video w-full rounded" data-testid={`style-sample-${style}`} />
            <span className="mt-1 block text-center font-medium">{style.charAt(0).toUpperCase() + style.slice(1)}</span>
          </label>
        ))}
      </div>
      {error ? (
        <span role="alert" id={errorIdOf("visualStyle")} data-field-error="visualStyle" className="mt-1 block text-sm text-red-600">
          {error}
        </span>
      ) : null}
    </fieldset>
  );
}
